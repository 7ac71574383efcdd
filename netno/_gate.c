/* Candidate loop of netno.classify._Gate._scan_batch, in C.
 *
 * The numpy path of _Gate._scan_batch is the reference: condition_bits and
 * match_starts fill the same dicts with the same spans, in the same key order, only
 * faster.
 *
 * condition_bits turns the conditions each word meets into rows of bits, and ORs the
 * rows of each text's tokens into the text's row.
 *
 * Each pattern with a start condition has start entries (classify._start_entries):
 * a condition on a match's first token, and windows "some token at offset low..high
 * after the first one meets condition c". A token is a candidate start of a pattern
 * when its word meets the condition of one of the pattern's entries and every window
 * of that entry is met. The pattern must also be active in the token's text: the
 * text meets all conditions of one of the pattern's options. That is worked out
 * only for the patterns that some token of the text can start.
 *
 * Texts are handled one by one. Their candidates are sorted by pattern (ascending
 * id, tokens in order) and tried with Pattern.match. A match that starts inside the
 * previous match of the same pattern and text is dropped, because finditer never
 * looks there. Each text's dict thus gets its keys in ascending pattern order, as on
 * the numpy path.
 *
 * Integer arrays are C-contiguous buffers of int64 values. classify checks dtypes
 * and layout before calling, and this module checks every index it reads.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_int64_array.h"

/* ---- buffer arguments ---------------------------------------------------------- */

/* Every buffer taken in one call, released together at the end. */
enum { MAX_BUFFERS = 20 };

typedef struct {
    Py_buffer views[MAX_BUFFERS];
    int taken; /* views taken so far */
} Buffers;

static void
buffers_release(Buffers *buffers)
{
    while (buffers->taken > 0) {
        PyBuffer_Release(&buffers->views[--buffers->taken]);
    }
}

/* Take a C-contiguous buffer of ``object`` whose items are ``itemsize`` bytes wide. */
static Py_buffer *
take_buffer(Buffers *buffers, PyObject *object, Py_ssize_t itemsize, const char *name)
{
    if (buffers->taken == MAX_BUFFERS) {
        PyErr_SetString(PyExc_RuntimeError, "too many buffer arguments");
        return NULL;
    }
    Py_buffer *view = &buffers->views[buffers->taken];
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS) < 0) {
        return NULL;
    }
    buffers->taken++;
    if (view->len % itemsize != 0) {
        PyErr_Format(PyExc_ValueError, "%s: expected items of %zd bytes", name, itemsize);
        return NULL;
    }
    return view;
}

typedef struct {
    const int64_t *items;
    Py_ssize_t count;
} Int64s;

static int
take_int64s(Buffers *buffers, PyObject *object, const char *name, Int64s *out)
{
    Py_buffer *view = take_buffer(buffers, object, (Py_ssize_t)sizeof(int64_t), name);
    if (view == NULL) {
        return -1;
    }
    out->items = (const int64_t *)view->buf;
    out->count = view->len / (Py_ssize_t)sizeof(int64_t);
    return 0;
}

/* Check that ``values`` all lie in [low, high). */
static int
check_range(Int64s values, int64_t low, int64_t high, const char *name)
{
    for (Py_ssize_t index = 0; index < values.count; index++) {
        if (values.items[index] < low || values.items[index] >= high) {
            PyErr_Format(PyExc_ValueError, "%s[%zd] = %lld is outside [%lld, %lld)", name,
                         index, (long long)values.items[index], (long long)low,
                         (long long)high);
            return -1;
        }
    }
    return 0;
}

/* Check that ``offsets`` splits ``count`` items into runs: it starts at 0, never
 * decreases and ends at ``count``. */
static int
check_offsets(Int64s offsets, Py_ssize_t count, const char *name)
{
    if (offsets.count == 0 || offsets.items[0] != 0
        || offsets.items[offsets.count - 1] != (int64_t)count) {
        PyErr_Format(PyExc_ValueError, "%s must run from 0 to %zd", name, count);
        return -1;
    }
    for (Py_ssize_t index = 1; index < offsets.count; index++) {
        if (offsets.items[index] < offsets.items[index - 1]) {
            PyErr_Format(PyExc_ValueError, "%s decreases at %zd", name, index);
            return -1;
        }
    }
    return 0;
}

/* ---- condition bits ----------------------------------------------------------------- */

/* Rows of condition bits: bit c of a row is bit c % 8 of its byte c / 8 (the order of
 * numpy.unpackbits(..., bitorder="little")). */
static inline Py_ssize_t
row_bytes_of(Py_ssize_t condition_count)
{
    return condition_count > 0 ? (condition_count + 7) / 8 : 1;
}

static inline int
bit_set(const unsigned char *row, int64_t condition)
{
    return (row[condition >> 3] >> (condition & 7)) & 1;
}

PyDoc_STRVAR(condition_bits_doc,
"condition_bits(word_of_token, text_of_token, condition_offsets, word_conditions,\n"
"               text_count, condition_count, /)\n"
"--\n\n"
"Return (word_bits, text_bits): per word and per text, a row of condition bits.\n\n"
"Word w meets the conditions word_conditions[condition_offsets[w]:...[w + 1]]; a\n"
"text meets the conditions of its tokens' words. Rows take (condition_count + 7) // 8\n"
"bytes (at least one); bit c is bit c % 8 of byte c // 8.");

static PyObject *
gate_condition_bits(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *word_of_token, *text_of_token, *condition_offsets, *word_conditions;
    Py_ssize_t text_count, condition_count;
    if (!PyArg_ParseTuple(args, "OOOOnn:condition_bits", &word_of_token, &text_of_token,
                          &condition_offsets, &word_conditions, &text_count,
                          &condition_count)) {
        return NULL;
    }
    Buffers buffers = {.taken = 0};
    Int64s words, texts, offsets, conditions;
    PyObject *word_bits = NULL, *text_bits = NULL, *result = NULL;
    if (take_int64s(&buffers, word_of_token, "word_of_token", &words) < 0
        || take_int64s(&buffers, text_of_token, "text_of_token", &texts) < 0
        || take_int64s(&buffers, condition_offsets, "condition_offsets", &offsets) < 0
        || take_int64s(&buffers, word_conditions, "word_conditions", &conditions) < 0) {
        goto done;
    }
    if (text_count < 0 || condition_count < 0 || texts.count != words.count) {
        PyErr_SetString(PyExc_ValueError, "invalid counts, or token arrays of different lengths");
        goto done;
    }
    Py_ssize_t word_count = offsets.count - 1;
    Py_ssize_t row_bytes = row_bytes_of(condition_count);
    if (check_offsets(offsets, conditions.count, "condition_offsets") < 0
        || check_range(conditions, 0, condition_count, "word_conditions") < 0
        || check_range(words, 0, word_count, "word_of_token") < 0
        || check_range(texts, 0, text_count, "text_of_token") < 0) {
        goto done;
    }
    if (word_count > PY_SSIZE_T_MAX / row_bytes || text_count > PY_SSIZE_T_MAX / row_bytes) {
        PyErr_NoMemory();
        goto done;
    }
    word_bits = PyByteArray_FromStringAndSize(NULL, word_count * row_bytes);
    text_bits = PyByteArray_FromStringAndSize(NULL, text_count * row_bytes);
    if (word_bits == NULL || text_bits == NULL) {
        goto done;
    }
    unsigned char *word_rows = (unsigned char *)PyByteArray_AS_STRING(word_bits);
    unsigned char *text_rows = (unsigned char *)PyByteArray_AS_STRING(text_bits);
    memset(word_rows, 0, (size_t)(word_count * row_bytes));
    memset(text_rows, 0, (size_t)(text_count * row_bytes));
    for (Py_ssize_t word = 0; word < word_count; word++) {
        unsigned char *row = word_rows + word * row_bytes;
        for (int64_t at = offsets.items[word]; at < offsets.items[word + 1]; at++) {
            int64_t condition = conditions.items[at];
            row[condition >> 3] |= (unsigned char)(1u << (condition & 7));
        }
    }
    for (Py_ssize_t token = 0; token < words.count; token++) {
        const unsigned char *row = word_rows + words.items[token] * row_bytes;
        unsigned char *text_row = text_rows + texts.items[token] * row_bytes;
        for (Py_ssize_t byte = 0; byte < row_bytes; byte++) {
            text_row[byte] |= row[byte];
        }
    }
    result = PyTuple_Pack(2, word_bits, text_bits);
done:
    Py_XDECREF(word_bits);
    Py_XDECREF(text_bits);
    buffers_release(&buffers);
    return result;
}

/* ---- match_starts ------------------------------------------------------------------ */

/* The arrays of one call, checked. */
typedef struct {
    /* tokens, in text order */
    Int64s word_of_token, text_of_token, positions;
    /* words: word w meets conditions word_conditions[condition_offsets[w]:...[w + 1]];
     * row w of word_bits and row t of text_bits contain the conditions of word w and
     * text t as bits (condition_bits) */
    Int64s condition_offsets, word_conditions;
    const unsigned char *word_bits, *text_bits;
    Py_ssize_t row_bytes;
    /* entries: condition c starts entries starters[starter_offsets[c]:...[c + 1]];
     * entry e belongs to pattern entry_pattern[e] and has windows
     * window_offsets[e]:...[e + 1], each (low, high, condition) */
    Int64s starter_offsets, starters, entry_pattern, window_offsets;
    Int64s window_low, window_high, window_condition;
    /* options: pattern p has options option_offsets[p]:...[p + 1]; option o needs the
     * conditions option_conditions[option_condition_offsets[o]:...[o + 1]]. A pattern
     * without options may match any text. */
    Int64s option_offsets, option_condition_offsets, option_conditions;
    Py_ssize_t text_count, pattern_count, word_count, condition_count, entry_count;
} Tables;

/* Tell whether pattern ``pattern`` may match a text whose condition bits are ``row``:
 * the text meets every condition of one of the pattern's options. */
static int
pattern_active(const Tables *t, const unsigned char *row, int64_t pattern)
{
    int64_t first = t->option_offsets.items[pattern], last = t->option_offsets.items[pattern + 1];
    if (first == last) {
        return 1;
    }
    for (int64_t option = first; option < last; option++) {
        int met = 1;
        for (int64_t at = t->option_condition_offsets.items[option];
             at < t->option_condition_offsets.items[option + 1]; at++) {
            if (!bit_set(row, t->option_conditions.items[at])) {
                met = 0;
                break;
            }
        }
        if (met) {
            return 1;
        }
    }
    return 0;
}

/* Tell whether every window of entry ``entry`` is met after token ``token``; the
 * text's last token is ``last``. */
static int
windows_hold(const Tables *t, Py_ssize_t entry, Py_ssize_t token, Py_ssize_t last)
{
    for (int64_t window = t->window_offsets.items[entry];
         window < t->window_offsets.items[entry + 1]; window++) {
        int64_t condition = t->window_condition.items[window];
        int64_t high = t->window_high.items[window];
        int met = 0;
        for (int64_t offset = t->window_low.items[window]; offset <= high; offset++) {
            Py_ssize_t other = token + (Py_ssize_t)offset;
            if (other > last) {
                break;
            }
            if (bit_set(t->word_bits + t->word_of_token.items[other] * t->row_bytes, condition)) {
                met = 1;
                break;
            }
        }
        if (!met) {
            return 0;
        }
    }
    return 1;
}

static int
compare_keys(const void *first, const void *second)
{
    int64_t a = *(const int64_t *)first, b = *(const int64_t *)second;
    return (a > b) - (a < b);
}

/* Sort keys ascending; runs are short, so insertion sort unless a text is long. */
static void
sort_keys(Int64Array *keys)
{
    int64_t *items = keys->items;
    if (keys->length > 32) {
        qsort(items, (size_t)keys->length, sizeof(int64_t), compare_keys);
        return;
    }
    for (Py_ssize_t index = 1; index < keys->length; index++) {
        int64_t key = items[index];
        Py_ssize_t place = index;
        while (place > 0 && items[place - 1] > key) {
            items[place] = items[place - 1];
            place--;
        }
        items[place] = key;
    }
}

/* Per pattern scratch of one text: whether it is active (worked out once per text)
 * and the last token taken for it, as a token can start several entries of one
 * pattern. ``stamp[p]`` is the text (plus one) that ``active[p]`` was worked out for. */
typedef struct {
    Py_ssize_t *stamp;
    unsigned char *active;
    Py_ssize_t *last_token;
} Scratch;

/* Collect the candidates of the text whose tokens are first..last, as sort keys:
 * (pattern, token) pairs, each once. */
static int
collect_text(const Tables *t, Py_ssize_t first, Py_ssize_t last, Scratch *scratch, Int64Array *keys)
{
    int64_t text = t->text_of_token.items[first];
    const unsigned char *text_row = t->text_bits + text * t->row_bytes;
    Py_ssize_t token_count = t->word_of_token.count;
    for (Py_ssize_t token = first; token <= last; token++) {
        int64_t word = t->word_of_token.items[token];
        for (int64_t at = t->condition_offsets.items[word];
             at < t->condition_offsets.items[word + 1]; at++) {
            int64_t condition = t->word_conditions.items[at];
            for (int64_t start = t->starter_offsets.items[condition];
                 start < t->starter_offsets.items[condition + 1]; start++) {
                int64_t entry = t->starters.items[start];
                int64_t pattern = t->entry_pattern.items[entry];
                if (scratch->last_token[pattern] == token) {
                    continue;
                }
                if (scratch->stamp[pattern] != text + 1) {
                    scratch->stamp[pattern] = text + 1;
                    scratch->active[pattern] = (unsigned char)pattern_active(t, text_row, pattern);
                }
                if (!scratch->active[pattern] || !windows_hold(t, (Py_ssize_t)entry, token, last)) {
                    continue;
                }
                scratch->last_token[pattern] = token;
                if (int64_array_push(keys, pattern * (int64_t)token_count + token) < 0) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

static PyObject *span_name; /* "span", interned at import */

/* Read a match's span as (start, end); return a new reference to the tuple. */
static PyObject *
match_span(PyObject *hit, Py_ssize_t *start, Py_ssize_t *end)
{
    PyObject *span = PyObject_CallMethodNoArgs(hit, span_name);
    if (span == NULL) {
        return NULL;
    }
    if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
        PyErr_SetString(PyExc_TypeError, "span() must return a pair");
        Py_DECREF(span);
        return NULL;
    }
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
    if ((*start == -1 || *end == -1) && PyErr_Occurred()) {
        Py_DECREF(span);
        return NULL;
    }
    return span;
}

/* Try the sorted candidates ``keys`` of one text and store the spans of each pattern
 * into ``matches`` (the text's dict), with finditer's rule: a match that starts inside
 * the previous match of the same pattern is dropped. Keys come in ascending pattern
 * order, as the numpy path inserts them. */
static int
match_text(const Tables *t, PyObject *text, PyObject *matches, PyObject *match_methods,
           PyObject *pattern_keys, const Int64Array *keys)
{
    Py_ssize_t token_count = t->word_of_token.count;
    PyObject *spans = NULL; /* the list of the current pattern, also referenced by the dict */
    int64_t previous_pattern = -1;
    Py_ssize_t previous_end = 0;
    int status = -1;
    for (Py_ssize_t index = 0; index < keys->length; index++) {
        int64_t pattern = keys->items[index] / token_count;
        Py_ssize_t token = (Py_ssize_t)(keys->items[index] % token_count);
        PyObject *position = PyLong_FromLongLong(t->positions.items[token]);
        if (position == NULL) {
            goto done;
        }
        PyObject *arguments[2] = {text, position};
        PyObject *hit = PyObject_Vectorcall(PyTuple_GET_ITEM(match_methods, pattern), arguments,
                                            2, NULL);
        Py_DECREF(position);
        if (hit == NULL) {
            goto done; /* the exception of ``match`` propagates */
        }
        if (hit == Py_None) {
            Py_DECREF(hit);
            continue;
        }
        Py_ssize_t start, end;
        PyObject *span = match_span(hit, &start, &end);
        Py_DECREF(hit);
        if (span == NULL) {
            goto done;
        }
        if (pattern != previous_pattern) {
            PyObject *fresh = PyList_New(1);
            if (fresh == NULL) {
                Py_DECREF(span);
                goto done;
            }
            PyList_SET_ITEM(fresh, 0, span); /* steals the reference */
            Py_XSETREF(spans, fresh);
            if (PyDict_SetItem(matches, PyTuple_GET_ITEM(pattern_keys, pattern), spans) < 0) {
                goto done;
            }
        }
        else if (start >= previous_end) {
            int appended = PyList_Append(spans, span);
            Py_DECREF(span);
            if (appended < 0) {
                goto done;
            }
        }
        else {
            Py_DECREF(span); /* inside the previous match, where finditer never looks */
            continue;
        }
        previous_pattern = pattern;
        previous_end = end;
    }
    status = 0;
done:
    Py_XDECREF(spans);
    return status;
}

/* Walk the texts in order: collect each text's candidates, sort them by pattern and
 * try them. Working text by text keeps the text, its dict and its tokens in cache. */
static int
match_all(const Tables *t, PyObject *texts, PyObject *found, PyObject *match_methods)
{
    int status = -1;
    Int64Array keys = {NULL, 0, 0};  /* sort keys pattern * token_count + token */
    size_t count = (size_t)t->pattern_count + 1;
    Scratch scratch = {
        PyMem_Malloc(count * sizeof(Py_ssize_t)),
        PyMem_Malloc(count),
        PyMem_Malloc(count * sizeof(Py_ssize_t)),
    };
    PyObject *pattern_keys = PyTuple_New(t->pattern_count);
    if (scratch.stamp == NULL || scratch.active == NULL || scratch.last_token == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (pattern_keys == NULL) {
        goto done;
    }
    for (Py_ssize_t pattern = 0; pattern < t->pattern_count; pattern++) {
        PyObject *key = PyLong_FromSsize_t(pattern);
        if (key == NULL) {
            goto done;
        }
        PyTuple_SET_ITEM(pattern_keys, pattern, key);
        scratch.stamp[pattern] = 0;
        scratch.last_token[pattern] = -1;
    }
    Py_ssize_t token_count = t->word_of_token.count;
    for (Py_ssize_t first = 0; first < token_count;) {
        int64_t text = t->text_of_token.items[first];
        Py_ssize_t last = first;
        while (last + 1 < token_count && t->text_of_token.items[last + 1] == text) {
            last++;
        }
        keys.length = 0;
        if (collect_text(t, first, last, &scratch, &keys) < 0) {
            goto done;
        }
        if (keys.length > 0) {
            PyObject *matches = PyTuple_GET_ITEM(found, text);
            if (!PyDict_Check(matches)) {
                PyErr_SetString(PyExc_TypeError, "found must contain only dicts");
                goto done;
            }
            sort_keys(&keys);
            if (match_text(t, PyTuple_GET_ITEM(texts, text), matches, match_methods,
                           pattern_keys, &keys) < 0) {
                goto done;
            }
        }
        first = last + 1;
    }
    status = 0;
done:
    PyMem_Free(keys.items);
    PyMem_Free(scratch.stamp);
    PyMem_Free(scratch.active);
    PyMem_Free(scratch.last_token);
    Py_XDECREF(pattern_keys);
    return status;
}

/* Check the arrays against each other, so that every index read later is in bounds. */
static int
check_tables(const Tables *t)
{
    Py_ssize_t token_count = t->word_of_token.count;
    if (t->text_of_token.count != token_count || t->positions.count != token_count) {
        PyErr_SetString(PyExc_ValueError, "token arrays differ in length");
        return -1;
    }
    if (check_range(t->word_of_token, 0, t->word_count, "word_of_token") < 0
        || check_range(t->text_of_token, 0, t->text_count, "text_of_token") < 0
        || check_range(t->positions, 0, PY_SSIZE_T_MAX, "positions") < 0) {
        return -1;
    }
    for (Py_ssize_t token = 1; token < token_count; token++) {
        if (t->text_of_token.items[token] < t->text_of_token.items[token - 1]) {
            PyErr_SetString(PyExc_ValueError, "tokens must be in text order");
            return -1;
        }
    }
    if (check_offsets(t->condition_offsets, t->word_conditions.count, "condition_offsets") < 0
        || check_range(t->word_conditions, 0, t->condition_count, "word_conditions") < 0
        || check_offsets(t->starter_offsets, t->starters.count, "starter_offsets") < 0
        || check_range(t->starters, 0, t->entry_count, "starters") < 0
        || check_range(t->entry_pattern, 0, t->pattern_count, "entry_pattern") < 0) {
        return -1;
    }
    if (t->window_offsets.count != t->entry_count + 1) {
        PyErr_SetString(PyExc_ValueError, "window_offsets needs one item per entry, plus one");
        return -1;
    }
    Py_ssize_t window_count = t->window_low.count;
    if (t->window_high.count != window_count || t->window_condition.count != window_count) {
        PyErr_SetString(PyExc_ValueError, "window arrays differ in length");
        return -1;
    }
    if (check_offsets(t->window_offsets, window_count, "window_offsets") < 0
        || check_range(t->window_low, 1, INT32_MAX, "window_low") < 0
        || check_range(t->window_high, 1, INT32_MAX, "window_high") < 0
        || check_range(t->window_condition, 0, t->condition_count, "window_condition") < 0) {
        return -1;
    }
    if (t->option_offsets.count != t->pattern_count + 1) {
        PyErr_SetString(PyExc_ValueError, "option_offsets needs one item per pattern, plus one");
        return -1;
    }
    if (check_offsets(t->option_offsets, t->option_condition_offsets.count - 1, "option_offsets") < 0
        || check_offsets(t->option_condition_offsets, t->option_conditions.count,
                         "option_condition_offsets") < 0
        || check_range(t->option_conditions, 0, t->condition_count, "option_conditions") < 0) {
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(match_starts_doc,
"match_starts(texts, found, matches, tokens, words, text_bits, entries, options, /)\n"
"--\n\n"
"Try the patterns with start entries at their candidate tokens; fill ``found``.\n\n"
"texts: list of str; found: list of dict, one per text; matches: list, per pattern\n"
"id, its bound ``Pattern.match`` (called only for patterns with entries);\n"
"tokens: (word_of_token, text_of_token, positions), int64 arrays, in text order;\n"
"words: (condition_offsets, word_conditions, word_bits) and text_bits: as given to and\n"
"returned by condition_bits; entries: (starter_offsets, starters, entry_pattern,\n"
"window_offsets, window_low, window_high, window_condition), int64 arrays; options:\n"
"(option_offsets, option_condition_offsets, option_conditions), int64 arrays.\n"
"found[text][pattern] gets the list of (start, end) spans that finditer gives.");

static PyObject *
gate_match_starts(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *texts_list, *found_list, *matches_list;
    PyObject *word_of_token, *text_of_token, *positions;
    PyObject *condition_offsets, *word_conditions, *word_bits, *text_bits;
    PyObject *starter_offsets, *starters, *entry_pattern, *window_offsets;
    PyObject *window_low, *window_high, *window_condition;
    PyObject *option_offsets, *option_condition_offsets, *option_conditions;
    if (!PyArg_ParseTuple(args, "O!O!O!(OOO)(OOO)O(OOOOOOO)(OOO):match_starts",
                          &PyList_Type, &texts_list, &PyList_Type, &found_list,
                          &PyList_Type, &matches_list, &word_of_token, &text_of_token,
                          &positions, &condition_offsets, &word_conditions, &word_bits,
                          &text_bits, &starter_offsets, &starters, &entry_pattern,
                          &window_offsets, &window_low, &window_high, &window_condition,
                          &option_offsets, &option_condition_offsets, &option_conditions)) {
        return NULL;
    }
    Buffers buffers = {.taken = 0};
    /* Tuples copied from the lists, so that a call of ``match`` cannot change them. */
    PyObject *texts = NULL, *found = NULL, *matches = NULL;
    PyObject *result = NULL;
    Tables t;
    Py_buffer *word_view = NULL, *text_view = NULL;

    if (take_int64s(&buffers, word_of_token, "word_of_token", &t.word_of_token) < 0
        || take_int64s(&buffers, text_of_token, "text_of_token", &t.text_of_token) < 0
        || take_int64s(&buffers, positions, "positions", &t.positions) < 0
        || take_int64s(&buffers, condition_offsets, "condition_offsets", &t.condition_offsets) < 0
        || take_int64s(&buffers, word_conditions, "word_conditions", &t.word_conditions) < 0
        || take_int64s(&buffers, starter_offsets, "starter_offsets", &t.starter_offsets) < 0
        || take_int64s(&buffers, starters, "starters", &t.starters) < 0
        || take_int64s(&buffers, entry_pattern, "entry_pattern", &t.entry_pattern) < 0
        || take_int64s(&buffers, window_offsets, "window_offsets", &t.window_offsets) < 0
        || take_int64s(&buffers, window_low, "window_low", &t.window_low) < 0
        || take_int64s(&buffers, window_high, "window_high", &t.window_high) < 0
        || take_int64s(&buffers, window_condition, "window_condition", &t.window_condition) < 0
        || take_int64s(&buffers, option_offsets, "option_offsets", &t.option_offsets) < 0
        || take_int64s(&buffers, option_condition_offsets, "option_condition_offsets",
                       &t.option_condition_offsets) < 0
        || take_int64s(&buffers, option_conditions, "option_conditions",
                       &t.option_conditions) < 0
        || (word_view = take_buffer(&buffers, word_bits, 1, "word_bits")) == NULL
        || (text_view = take_buffer(&buffers, text_bits, 1, "text_bits")) == NULL) {
        goto done;
    }
    texts = PyList_AsTuple(texts_list);
    found = PyList_AsTuple(found_list);
    matches = PyList_AsTuple(matches_list);
    if (texts == NULL || found == NULL || matches == NULL) {
        goto done;
    }
    t.text_count = PyTuple_GET_SIZE(texts);
    t.pattern_count = PyTuple_GET_SIZE(matches);
    t.word_count = t.condition_offsets.count - 1;
    t.condition_count = t.starter_offsets.count - 1;
    t.entry_count = t.entry_pattern.count;
    t.word_bits = (const unsigned char *)word_view->buf;
    t.text_bits = (const unsigned char *)text_view->buf;
    if (PyTuple_GET_SIZE(found) != t.text_count) {
        PyErr_SetString(PyExc_ValueError, "found needs one dict per text");
        goto done;
    }
    if (t.word_count < 0 || t.condition_count < 0 || t.option_condition_offsets.count < 1) {
        PyErr_SetString(PyExc_ValueError, "offsets need at least one item");
        goto done;
    }
    /* Sort keys are pattern * token_count + token, so both must fit in 31 bits. */
    if (t.word_of_token.count > INT32_MAX || t.pattern_count > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many tokens or patterns");
        goto done;
    }
    t.row_bytes = row_bytes_of(t.condition_count);
    if (word_view->len != t.word_count * t.row_bytes
        || text_view->len != t.text_count * t.row_bytes) {
        PyErr_SetString(PyExc_ValueError, "word_bits and text_bits need one row per word, text");
        goto done;
    }
    if (check_tables(&t) < 0 || match_all(&t, texts, found, matches) < 0) {
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(texts);
    Py_XDECREF(found);
    Py_XDECREF(matches);
    buffers_release(&buffers);
    return result;
}

static PyMethodDef gate_methods[] = {
    {"condition_bits", (PyCFunction)gate_condition_bits, METH_VARARGS, condition_bits_doc},
    {"match_starts", (PyCFunction)gate_match_starts, METH_VARARGS, match_starts_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef gate_module = {
    PyModuleDef_HEAD_INIT,
    "netno._gate",
    "Candidate loop of netno.classify._Gate._scan_batch, in C.",
    -1,
    gate_methods,
};

PyMODINIT_FUNC
PyInit__gate(void)
{
    span_name = PyUnicode_InternFromString("span");
    if (span_name == NULL) {
        return NULL;
    }
    return PyModule_Create(&gate_module);
}
