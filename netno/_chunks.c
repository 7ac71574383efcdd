/* Per-chunk loops of netno.normalize.match_texts, in C.
 *
 * The pure-Python path in netno/normalize.py is the reference: every function here
 * returns what that path computes, only faster. Integer arrays are passed as numpy
 * int64 arrays and returned as bytearrays of native int64 values, for
 * numpy.frombuffer.
 *
 * A chunk is what the regex r"\w+|[^\w\s]" finds: a run of word characters, or one
 * character that is neither a word character nor white space. For str patterns,
 * Python's regex engine (Modules/_sre/sre.c) reads \w as Py_UNICODE_ISALNUM(ch) or
 * ch == '_', and \s as Py_UNICODE_ISSPACE(ch); the same predicates are used here.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_int64_array.h"

enum { CLASS_OTHER = 0, CLASS_WORD = 1, CLASS_SPACE = 2 };

/* Classes of the ASCII characters, filled once at import. */
static unsigned char ascii_classes[128];

static int
char_class_slow(Py_UCS4 ch)
{
    if (Py_UNICODE_ISALNUM(ch) || ch == '_') {
        return CLASS_WORD;
    }
    if (Py_UNICODE_ISSPACE(ch)) {
        return CLASS_SPACE;
    }
    return CLASS_OTHER;
}

static inline int
char_class(Py_UCS4 ch)
{
    return ch < 128 ? ascii_classes[ch] : char_class_slow(ch);
}

static PyObject *
array_to_bytearray(const Int64Array *array)
{
    return PyByteArray_FromStringAndSize(
        (const char *)array->items, array->length * (Py_ssize_t)sizeof(int64_t));
}

/* Read an int64 buffer argument: a C-contiguous numpy int64 array, or any buffer
 * of signed 64-bit items. */
static int
read_int64s(PyObject *object, Py_buffer *view, const int64_t **items, Py_ssize_t *count)
{
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    const char *format = view->format != NULL ? view->format : "B";
    if (*format == '@' || *format == '=') {
        format++;
    }
    if (view->itemsize != (Py_ssize_t)sizeof(int64_t)
        || !((format[0] == 'q' || format[0] == 'l') && format[1] == '\0')) {
        PyErr_Format(PyExc_ValueError,
                     "invalid buffer: expected int64 items, got format '%.20s' "
                     "with %zd-byte items", view->format != NULL ? view->format : "B",
                     view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    *items = (const int64_t *)view->buf;
    *count = view->len / (Py_ssize_t)sizeof(int64_t);
    return 0;
}

/* ---- scan ------------------------------------------------------------------- */

/* An open-addressing hash table of the distinct chunks seen so far. Each slot
 * contains the chunk's number plus one, and 0 marks an empty slot. A chunk's
 * characters are read at its first occurrence in the text, so a repeated chunk costs
 * no new str object. */
typedef struct {
    Py_ssize_t *slots;
    Py_ssize_t mask;
    Py_ssize_t *first_starts; /* per distinct chunk: start of its first occurrence */
    Py_ssize_t *lengths;      /* per distinct chunk: its length */
    uint64_t *hashes;         /* per distinct chunk: its hash, to move it on growth */
    Py_ssize_t count;
    Py_ssize_t capacity;      /* of first_starts, lengths and hashes */
} ChunkTable;

/* FNV-1a over code units; the scan loop feeds each character as it reads it. The
 * start value is mixed with Python's per-process string hash seed at import, so that
 * chunks crafted to collide in one process do not collide in another. */
static uint64_t hash_start = 1469598103934665603ULL;
#define HASH_START hash_start
#define HASH_STEP(hash, ch) (((hash) ^ (uint64_t)(ch)) * 1099511628211ULL)

static int
table_init(ChunkTable *table)
{
    table->mask = 1023;
    table->count = 0;
    table->capacity = 256;
    table->slots = PyMem_Calloc((size_t)table->mask + 1, sizeof(Py_ssize_t));
    table->first_starts = PyMem_Malloc((size_t)table->capacity * sizeof(Py_ssize_t));
    table->lengths = PyMem_Malloc((size_t)table->capacity * sizeof(Py_ssize_t));
    table->hashes = PyMem_Malloc((size_t)table->capacity * sizeof(uint64_t));
    if (table->slots == NULL || table->first_starts == NULL || table->lengths == NULL
        || table->hashes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void
table_free(ChunkTable *table)
{
    PyMem_Free(table->slots);
    PyMem_Free(table->first_starts);
    PyMem_Free(table->lengths);
    PyMem_Free(table->hashes);
}

/* Grow the per-chunk arrays when full, and the slots when half full (so that probes
 * stay short). */
static int
table_reserve(ChunkTable *table)
{
    if (table->count == table->capacity) {
        size_t capacity = (size_t)table->capacity * 2;
        Py_ssize_t *starts = PyMem_Realloc(table->first_starts, capacity * sizeof(Py_ssize_t));
        if (starts == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        table->first_starts = starts;
        Py_ssize_t *lengths = PyMem_Realloc(table->lengths, capacity * sizeof(Py_ssize_t));
        if (lengths == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        table->lengths = lengths;
        uint64_t *hashes = PyMem_Realloc(table->hashes, capacity * sizeof(uint64_t));
        if (hashes == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        table->hashes = hashes;
        table->capacity = (Py_ssize_t)capacity;
    }
    if ((table->count + 1) * 2 > table->mask + 1) {
        Py_ssize_t size = (table->mask + 1) * 2;
        Py_ssize_t *slots = PyMem_Calloc((size_t)size, sizeof(Py_ssize_t));
        if (slots == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        PyMem_Free(table->slots);
        table->slots = slots;
        table->mask = size - 1;
        for (Py_ssize_t number = 0; number < table->count; number++) {
            Py_ssize_t slot = (Py_ssize_t)(table->hashes[number] & (uint64_t)table->mask);
            while (table->slots[slot] != 0) {
                slot = (slot + 1) & table->mask;
            }
            table->slots[slot] = number + 1;
        }
    }
    return 0;
}

/* Return the number of the chunk text[start:start + length], whose hash is ``hash``,
 * adding it to the table and to ``distinct`` when it is new; -1 on error. */
static Py_ssize_t
table_intern(ChunkTable *table, PyObject *text, Py_ssize_t start, Py_ssize_t length,
             uint64_t hash, PyObject *distinct)
{
    int kind = PyUnicode_KIND(text);
    const char *data = (const char *)PyUnicode_DATA(text);
    const char *units = data + start * kind;
    size_t size = (size_t)length * (size_t)kind;
    Py_ssize_t slot = (Py_ssize_t)(hash & (uint64_t)table->mask);
    for (;;) {
        Py_ssize_t entry = table->slots[slot];
        if (entry == 0) {
            break;
        }
        Py_ssize_t number = entry - 1;
        if (table->hashes[number] == hash && table->lengths[number] == length
            && memcmp(data + table->first_starts[number] * kind, units, size) == 0) {
            return number;
        }
        slot = (slot + 1) & table->mask;
    }

    /* A new chunk: make room first, which may move the slots, then insert. */
    if (table_reserve(table) < 0) {
        return -1;
    }
    PyObject *chunk = PyUnicode_Substring(text, start, start + length);
    if (chunk == NULL) {
        return -1;
    }
    int appended = PyList_Append(distinct, chunk);
    Py_DECREF(chunk);
    if (appended < 0) {
        return -1;
    }
    Py_ssize_t number = table->count++;
    table->first_starts[number] = start;
    table->lengths[number] = length;
    table->hashes[number] = hash;
    slot = (Py_ssize_t)(hash & (uint64_t)table->mask);
    while (table->slots[slot] != 0) {
        slot = (slot + 1) & table->mask;
    }
    table->slots[slot] = number + 1;
    return number;
}

PyDoc_STRVAR(scan_doc,
"scan(text, /)\n--\n\n"
"Cut text into the chunks that r'\\w+|[^\\w\\s]' finds.\n\n"
"Returns (distinct, kinds, starts): the distinct chunks in order of first\n"
"occurrence, and per chunk in text order its number in distinct and its start\n"
"offset, as bytearrays of int64.");

static PyObject *
chunks_scan(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "scan() expects a str, not %.100s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);

    PyObject *result = NULL;
    PyObject *kinds_bytes = NULL;
    PyObject *starts_bytes = NULL;
    Int64Array kinds = {NULL, 0, 0};
    Int64Array starts = {NULL, 0, 0};
    ChunkTable table;
    PyObject *distinct = PyList_New(0);
    if (distinct == NULL) {
        return NULL;
    }
    if (table_init(&table) < 0) {
        goto done;
    }

    Py_ssize_t position = 0;
    while (position < length) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, position);
        int category = char_class(ch);
        if (category == CLASS_SPACE) {
            position++;
            continue;
        }
        uint64_t hash = HASH_STEP(HASH_START, ch);
        Py_ssize_t end = position + 1;
        if (category == CLASS_WORD) {
            for (; end < length; end++) {
                ch = PyUnicode_READ(kind, data, end);
                if (char_class(ch) != CLASS_WORD) {
                    break;
                }
                hash = HASH_STEP(hash, ch);
            }
        }
        Py_ssize_t number =
            table_intern(&table, text, position, end - position, hash, distinct);
        if (number < 0 || int64_array_push(&kinds, number) < 0
            || int64_array_push(&starts, position) < 0) {
            goto done;
        }
        position = end;
    }

    kinds_bytes = array_to_bytearray(&kinds);
    if (kinds_bytes == NULL) {
        goto done;
    }
    starts_bytes = array_to_bytearray(&starts);
    if (starts_bytes == NULL) {
        goto done;
    }
    result = PyTuple_Pack(3, distinct, kinds_bytes, starts_bytes);

done:
    Py_DECREF(distinct);
    Py_XDECREF(kinds_bytes);
    Py_XDECREF(starts_bytes);
    PyMem_Free(kinds.items);
    PyMem_Free(starts.items);
    table_free(&table);
    return result;
}

/* ---- join ------------------------------------------------------------------- */

/* Check that ``forms`` is a list of str and every kind number indexes it. */
static int
check_forms(PyObject *forms, const int64_t *kinds, Py_ssize_t count)
{
    if (!PyList_Check(forms)) {
        PyErr_Format(PyExc_TypeError, "forms must be a list of str, not %.100s",
                     Py_TYPE(forms)->tp_name);
        return -1;
    }
    Py_ssize_t form_count = PyList_GET_SIZE(forms);
    for (Py_ssize_t index = 0; index < form_count; index++) {
        PyObject *form = PyList_GET_ITEM(forms, index);
        if (!PyUnicode_Check(form)) {
            PyErr_Format(PyExc_TypeError, "forms[%zd] must be a str, not %.100s", index,
                         Py_TYPE(form)->tp_name);
            return -1;
        }
        if (PyUnicode_READY(form) < 0) {
            return -1;
        }
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        if (kinds[index] < 0 || kinds[index] >= form_count) {
            PyErr_Format(PyExc_IndexError, "invalid chunk kind %lld: forms has %zd entries",
                         (long long)kinds[index], form_count);
            return -1;
        }
    }
    return 0;
}

PyDoc_STRVAR(join_doc,
"join(kinds, forms, separator, /)\n--\n\n"
"Build the normalised text of each text of a batch.\n\n"
"kinds gives, per chunk of the joined texts, its index in forms (the normalised\n"
"form of each distinct chunk); chunks of kind separator end a text. Each text is\n"
"the non-empty forms of its chunks joined by single spaces. Returns a list of\n"
"str, one more than there are separators.");

static PyObject *
chunks_join(PyObject *module, PyObject *args)
{
    PyObject *kinds_object;
    PyObject *forms;
    Py_ssize_t separator;
    if (!PyArg_ParseTuple(args, "OOn:join", &kinds_object, &forms, &separator)) {
        return NULL;
    }
    Py_buffer view;
    const int64_t *kinds;
    Py_ssize_t count;
    if (read_int64s(kinds_object, &view, &kinds, &count) < 0) {
        return NULL;
    }
    PyObject *result = NULL;
    if (check_forms(forms, kinds, count) < 0) {
        goto done;
    }
    result = PyList_New(0);
    if (result == NULL) {
        goto done;
    }
    /* Each text takes two passes over its chunks: one for its length and widest
     * character, one to copy the forms into the new str. */
    Py_ssize_t first = 0;
    while (first <= count) {
        Py_ssize_t last = first;
        Py_ssize_t length = 0;
        Py_UCS4 widest = 0;
        int empty = 1;
        for (; last < count && kinds[last] != separator; last++) {
            PyObject *form = PyList_GET_ITEM(forms, kinds[last]);
            Py_ssize_t form_length = PyUnicode_GET_LENGTH(form);
            if (form_length == 0) {
                continue;
            }
            length += form_length + (empty ? 0 : 1);
            empty = 0;
            Py_UCS4 form_widest = PyUnicode_MAX_CHAR_VALUE(form);
            if (form_widest > widest) {
                widest = form_widest;
            }
        }
        PyObject *joined = PyUnicode_New(length, widest);
        if (joined == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        int kind = PyUnicode_KIND(joined);
        void *data = PyUnicode_DATA(joined);
        Py_ssize_t position = 0;
        for (Py_ssize_t index = first; index < last; index++) {
            PyObject *form = PyList_GET_ITEM(forms, kinds[index]);
            Py_ssize_t form_length = PyUnicode_GET_LENGTH(form);
            if (form_length == 0) {
                continue;
            }
            if (position > 0) {
                PyUnicode_WRITE(kind, data, position, ' ');
                position++;
            }
            if (PyUnicode_KIND(form) == kind) {
                memcpy((char *)data + position * kind, PyUnicode_DATA(form),
                       (size_t)form_length * (size_t)kind);
            }
            else if (PyUnicode_CopyCharacters(joined, position, form, 0, form_length) < 0) {
                Py_DECREF(joined);
                Py_CLEAR(result);
                goto done;
            }
            position += form_length;
        }
        int appended = PyList_Append(result, joined);
        Py_DECREF(joined);
        if (appended < 0) {
            Py_CLEAR(result);
            goto done;
        }
        first = last + 1;
    }

done:
    PyBuffer_Release(&view);
    return result;
}

/* ---- tokens ----------------------------------------------------------------- */

PyDoc_STRVAR(tokens_doc,
"tokens(kinds, forms, separator, /)\n--\n\n"
"Split the texts that join() builds at spaces, as str.split(' ') would.\n\n"
"Returns (words, word_of_token, text_of_token, positions): the distinct tokens,\n"
"and per token in text order its number in words, its text and its start in\n"
"that text, as bytearrays of int64. A text with no non-empty form has no token.");

static PyObject *
chunks_tokens(PyObject *module, PyObject *args)
{
    PyObject *kinds_object;
    PyObject *forms;
    Py_ssize_t separator;
    if (!PyArg_ParseTuple(args, "OOn:tokens", &kinds_object, &forms, &separator)) {
        return NULL;
    }
    Py_buffer view;
    const int64_t *kinds;
    Py_ssize_t count;
    if (read_int64s(kinds_object, &view, &kinds, &count) < 0) {
        return NULL;
    }
    PyObject *result = NULL;
    PyObject *words = NULL;
    PyObject *numbers = NULL; /* word -> its number in words */
    PyObject *arrays[3] = {NULL, NULL, NULL};
    Int64Array word_ids = {NULL, 0, 0};    /* the words of each form, form after form */
    Int64Array word_lengths = {NULL, 0, 0};
    Int64Array out[3] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
    Py_ssize_t *firsts = NULL; /* per form: its first entry in word_ids, and one past */

    if (check_forms(forms, kinds, count) < 0) {
        goto done;
    }
    Py_ssize_t form_count = PyList_GET_SIZE(forms);
    words = PyList_New(0);
    numbers = PyDict_New();
    firsts = PyMem_Malloc((size_t)(form_count + 1) * sizeof(Py_ssize_t));
    if (words == NULL || numbers == NULL) {
        goto done;
    }
    if (firsts == NULL) {
        PyErr_NoMemory();
        goto done;
    }

    /* The words of each distinct form, numbered in order of first occurrence. */
    for (Py_ssize_t index = 0; index < form_count; index++) {
        firsts[index] = word_ids.length;
        PyObject *form = PyList_GET_ITEM(forms, index);
        if (index == separator || PyUnicode_GET_LENGTH(form) == 0) {
            continue;
        }
        int kind = PyUnicode_KIND(form);
        const void *data = PyUnicode_DATA(form);
        Py_ssize_t length = PyUnicode_GET_LENGTH(form);
        Py_ssize_t start = 0;
        for (Py_ssize_t end = 0; end <= length; end++) {
            if (end < length && PyUnicode_READ(kind, data, end) != ' ') {
                continue;
            }
            PyObject *word = PyUnicode_Substring(form, start, end);
            if (word == NULL) {
                goto done;
            }
            PyObject *number = PyDict_GetItemWithError(numbers, word); /* borrowed */
            Py_ssize_t word_id;
            if (number != NULL) {
                word_id = PyLong_AsSsize_t(number);
            }
            else if (PyErr_Occurred()) {
                Py_DECREF(word);
                goto done;
            }
            else {
                word_id = PyList_GET_SIZE(words);
                number = PyLong_FromSsize_t(word_id);
                int failed = number == NULL || PyDict_SetItem(numbers, word, number) < 0
                             || PyList_Append(words, word) < 0
                             || int64_array_push(&word_lengths, end - start) < 0;
                Py_XDECREF(number);
                if (failed) {
                    Py_DECREF(word);
                    goto done;
                }
            }
            Py_DECREF(word);
            if (int64_array_push(&word_ids, word_id) < 0) {
                goto done;
            }
            start = end + 1;
        }
    }
    firsts[form_count] = word_ids.length;

    /* One token per word of each chunk's form, numbered by text and position. */
    int64_t text = 0;
    int64_t position = 0;
    for (Py_ssize_t index = 0; index < count; index++) {
        int64_t chunk_kind = kinds[index];
        if (chunk_kind == separator) {
            text++;
            position = 0;
            continue;
        }
        for (Py_ssize_t entry = firsts[chunk_kind]; entry < firsts[chunk_kind + 1]; entry++) {
            int64_t word_id = word_ids.items[entry];
            if (int64_array_push(&out[0], word_id) < 0 || int64_array_push(&out[1], text) < 0
                || int64_array_push(&out[2], position) < 0) {
                goto done;
            }
            position += word_lengths.items[word_id] + 1;
        }
    }

    for (int which = 0; which < 3; which++) {
        arrays[which] = array_to_bytearray(&out[which]);
        if (arrays[which] == NULL) {
            goto done;
        }
    }
    result = PyTuple_Pack(4, words, arrays[0], arrays[1], arrays[2]);

done:
    PyBuffer_Release(&view);
    Py_XDECREF(words);
    Py_XDECREF(numbers);
    for (int which = 0; which < 3; which++) {
        Py_XDECREF(arrays[which]);
        PyMem_Free(out[which].items);
    }
    PyMem_Free(word_ids.items);
    PyMem_Free(word_lengths.items);
    PyMem_Free(firsts);
    return result;
}

/* ---- expand ----------------------------------------------------------------- */

PyDoc_STRVAR(expand_doc,
"expand(kinds, starts, steps, counts, pieces, separator, /)\n--\n\n"
"Place the pieces of every chunk of a batch in the joined texts.\n\n"
"kinds and starts give, per chunk, its kind and its start in the joined\n"
"original. Per kind: steps is the length of its normalised form plus one (0 for\n"
"an empty form), counts its number of pieces; pieces lists (start in the form,\n"
"start in the chunk, end in the chunk) of each piece, kind after kind.\n\n"
"Returns (token_starts, token_origins, text_starts) as bytearrays of int64: per\n"
"piece in text order, its start in the joined normalised text (each chunk's\n"
"form followed by one space) and its start and end in the joined original; per\n"
"text, where it starts in the joined normalised text.");

static PyObject *
chunks_expand(PyObject *module, PyObject *args)
{
    PyObject *objects[5];
    Py_ssize_t separator;
    if (!PyArg_ParseTuple(args, "OOOOOn:expand", &objects[0], &objects[1], &objects[2],
                          &objects[3], &objects[4], &separator)) {
        return NULL;
    }
    Py_buffer views[5];
    const int64_t *items[5];
    Py_ssize_t sizes[5];
    int taken = 0; /* views taken so far, released at the end */
    PyObject *result = NULL;
    PyObject *arrays[3] = {NULL, NULL, NULL};
    Int64Array out[3] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
    Py_ssize_t *firsts = NULL; /* per kind: its first row in pieces */

    for (; taken < 5; taken++) {
        if (read_int64s(objects[taken], &views[taken], &items[taken], &sizes[taken]) < 0) {
            goto done;
        }
    }
    const int64_t *kinds = items[0], *starts = items[1], *steps = items[2];
    const int64_t *counts = items[3], *pieces = items[4];
    Py_ssize_t count = sizes[0], kind_count = sizes[2];
    if (sizes[1] != count || sizes[3] != kind_count || sizes[4] % 3 != 0) {
        PyErr_Format(PyExc_ValueError,
                     "expand() got %zd kinds but %zd starts, %zd steps but %zd counts, "
                     "and %zd piece values (not a multiple of 3)",
                     count, sizes[1], kind_count, sizes[3], sizes[4]);
        goto done;
    }
    firsts = PyMem_Malloc((size_t)(kind_count + 1) * sizeof(Py_ssize_t));
    if (firsts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Each count is checked against the rows still left in pieces, so the running
     * sum never passes that number and cannot overflow. */
    Py_ssize_t piece_rows = sizes[4] / 3;
    Py_ssize_t row = 0;
    for (Py_ssize_t kind = 0; kind < kind_count; kind++) {
        if (counts[kind] < 0 || counts[kind] > piece_rows - row) {
            PyErr_Format(PyExc_ValueError,
                         "invalid piece count %lld for kind %zd: %zd pieces are left",
                         (long long)counts[kind], kind, piece_rows - row);
            goto done;
        }
        firsts[kind] = row;
        row += counts[kind];
    }
    firsts[kind_count] = row;
    if (row * 3 != sizes[4]) {
        PyErr_Format(PyExc_ValueError, "piece counts add up to %zd pieces, but %zd were given",
                     row, sizes[4] / 3);
        goto done;
    }

    int64_t normal = 0; /* start of the current chunk in the joined normalised text */
    if (int64_array_push(&out[2], 0) < 0) {
        goto done;
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        int64_t kind = kinds[index];
        if (kind < 0 || kind >= kind_count) {
            PyErr_Format(PyExc_IndexError, "invalid chunk kind %lld: expected 0 to %zd",
                         (long long)kind, kind_count - 1);
            goto done;
        }
        for (Py_ssize_t entry = firsts[kind]; entry < firsts[kind + 1]; entry++) {
            const int64_t *piece = pieces + 3 * entry;
            if (int64_array_push(&out[0], normal + piece[0]) < 0
                || int64_array_push(&out[1], starts[index] + piece[1]) < 0
                || int64_array_push(&out[1], starts[index] + piece[2]) < 0) {
                goto done;
            }
        }
        normal += steps[kind];
        if (kind == separator && int64_array_push(&out[2], normal) < 0) {
            goto done;
        }
    }

    for (int which = 0; which < 3; which++) {
        arrays[which] = array_to_bytearray(&out[which]);
        if (arrays[which] == NULL) {
            goto done;
        }
    }
    result = PyTuple_Pack(3, arrays[0], arrays[1], arrays[2]);

done:
    while (taken > 0) {
        PyBuffer_Release(&views[--taken]);
    }
    for (int which = 0; which < 3; which++) {
        Py_XDECREF(arrays[which]);
        PyMem_Free(out[which].items);
    }
    PyMem_Free(firsts);
    return result;
}

/* ---- module ----------------------------------------------------------------- */

static PyMethodDef chunks_methods[] = {
    {"scan", (PyCFunction)chunks_scan, METH_O, scan_doc},
    {"join", (PyCFunction)chunks_join, METH_VARARGS, join_doc},
    {"tokens", (PyCFunction)chunks_tokens, METH_VARARGS, tokens_doc},
    {"expand", (PyCFunction)chunks_expand, METH_VARARGS, expand_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef chunks_module = {
    PyModuleDef_HEAD_INIT,
    "netno._chunks",
    "Per-chunk loops of netno.normalize.match_texts, in C.",
    -1,
    chunks_methods,
};

PyMODINIT_FUNC
PyInit__chunks(void)
{
    for (Py_UCS4 ch = 0; ch < 128; ch++) {
        ascii_classes[ch] = (unsigned char)char_class_slow(ch);
    }
    PyObject *name = PyUnicode_FromString("netno._chunks");
    if (name == NULL) {
        return NULL;
    }
    Py_hash_t seed = PyObject_Hash(name);
    Py_DECREF(name);
    if (seed == -1 && PyErr_Occurred()) {
        return NULL;
    }
    hash_start ^= (uint64_t)seed;
    return PyModule_Create(&chunks_module);
}
