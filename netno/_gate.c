/* Candidate loop of netno.classify._Gate._scan_batch, in C.
 *
 * The numpy path of _Gate._scan_batch is the reference: match_starts fills the
 * same dicts with the same spans, in the same key order, only faster.
 *
 * Each pattern with a start condition has start entries (classify._start_entries):
 * a condition on a match's first token, and windows "some token at offset low..high
 * after the first one meets condition c". A token is a candidate start of a pattern
 * when its word meets the condition of one of the pattern's entries, the pattern is
 * active in the token's text, and every window of that entry holds. Candidates are
 * grouped by pattern (ascending id, tokens in order) and tried with Pattern.match;
 * a match that starts inside the previous match of the same pattern and text is
 * dropped, because finditer never looks there.
 *
 * Integer arrays are C-contiguous buffers of int64 values, bool matrices are
 * C-contiguous buffers of one byte per cell; classify._match_starts checks dtypes
 * and shapes before calling, and this module checks every index it reads.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* ---- buffer arguments ---------------------------------------------------------- */

/* Every buffer taken in one call, released together at the end. */
enum { MAX_BUFFERS = 16 };

typedef struct {
    Py_buffer views[MAX_BUFFERS];
    int held;
} Buffers;

static void
buffers_release(Buffers *buffers)
{
    while (buffers->held > 0) {
        PyBuffer_Release(&buffers->views[--buffers->held]);
    }
}

/* Take a C-contiguous buffer of ``object`` whose items are ``itemsize`` bytes wide. */
static Py_buffer *
take_buffer(Buffers *buffers, PyObject *object, Py_ssize_t itemsize, const char *name)
{
    if (buffers->held == MAX_BUFFERS) {
        PyErr_SetString(PyExc_RuntimeError, "too many buffer arguments");
        return NULL;
    }
    Py_buffer *view = &buffers->views[buffers->held];
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS) < 0) {
        return NULL;
    }
    buffers->held++;
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

/* ---- growable candidate list ------------------------------------------------------ */

typedef struct {
    Py_ssize_t *patterns;
    Py_ssize_t *tokens;
    Py_ssize_t length;
    Py_ssize_t capacity;
} Candidates;

static int
candidates_push(Candidates *list, Py_ssize_t pattern, Py_ssize_t token)
{
    if (list->length == list->capacity) {
        Py_ssize_t capacity = list->capacity ? list->capacity * 2 : 4096;
        Py_ssize_t *patterns = PyMem_Realloc(list->patterns, (size_t)capacity * sizeof(Py_ssize_t));
        if (patterns == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        list->patterns = patterns;
        Py_ssize_t *tokens = PyMem_Realloc(list->tokens, (size_t)capacity * sizeof(Py_ssize_t));
        if (tokens == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        list->tokens = tokens;
        list->capacity = capacity;
    }
    list->patterns[list->length] = pattern;
    list->tokens[list->length] = token;
    list->length++;
    return 0;
}

/* ---- match_starts ------------------------------------------------------------------ */

/* The arrays of one call, checked. */
typedef struct {
    /* tokens */
    Int64s word_of_token, text_of_token, positions;
    /* words: word w meets conditions word_conditions[condition_offsets[w]:...[w + 1]];
     * word_rows[w * row_width + c] is nonzero when word w meets condition c */
    Int64s condition_offsets, word_conditions;
    const unsigned char *word_rows;
    Py_ssize_t row_width;
    /* entries: condition c starts entries starters[starter_offsets[c]:...[c + 1]];
     * entry e belongs to pattern entry_pattern[e] and has windows
     * window_offsets[e]:...[e + 1], each (low, high, condition) */
    Int64s starter_offsets, starters, entry_pattern, window_offsets;
    Int64s window_low, window_high, window_condition;
    /* active[text * pattern_count + p] is nonzero when pattern p may match the text */
    const unsigned char *active;
    Py_ssize_t text_count, pattern_count, word_count, condition_count, entry_count;
} Tables;

/* Tell whether every window of entry ``entry`` holds after token ``token``. Tokens
 * are in text order, so the first token of another text ends the search. */
static int
windows_hold(const Tables *t, Py_ssize_t entry, Py_ssize_t token)
{
    int64_t text = t->text_of_token.items[token];
    for (int64_t window = t->window_offsets.items[entry];
         window < t->window_offsets.items[entry + 1]; window++) {
        int64_t condition = t->window_condition.items[window];
        int met = 0;
        for (int64_t offset = t->window_low.items[window];
             offset <= t->window_high.items[window]; offset++) {
            Py_ssize_t other = token + (Py_ssize_t)offset;
            if (other >= t->word_of_token.count || t->text_of_token.items[other] != text) {
                break;
            }
            if (t->word_rows[t->word_of_token.items[other] * t->row_width + condition]) {
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

/* Collect the (pattern, token) candidates in token order, each pair once. */
static int
collect(const Tables *t, Candidates *found)
{
    /* last_token[p]: the last token taken for pattern p, so that a token that starts
     * several entries of one pattern is taken once. */
    Py_ssize_t *last_token = PyMem_Malloc((size_t)(t->pattern_count + 1) * sizeof(Py_ssize_t));
    if (last_token == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t pattern = 0; pattern < t->pattern_count; pattern++) {
        last_token[pattern] = -1;
    }
    for (Py_ssize_t token = 0; token < t->word_of_token.count; token++) {
        int64_t word = t->word_of_token.items[token];
        const unsigned char *active_row =
            t->active + t->text_of_token.items[token] * t->pattern_count;
        for (int64_t at = t->condition_offsets.items[word];
             at < t->condition_offsets.items[word + 1]; at++) {
            int64_t condition = t->word_conditions.items[at];
            for (int64_t start = t->starter_offsets.items[condition];
                 start < t->starter_offsets.items[condition + 1]; start++) {
                int64_t entry = t->starters.items[start];
                int64_t pattern = t->entry_pattern.items[entry];
                if (!active_row[pattern] || last_token[pattern] == token
                    || !windows_hold(t, (Py_ssize_t)entry, token)) {
                    continue;
                }
                last_token[pattern] = token;
                if (candidates_push(found, (Py_ssize_t)pattern, token) < 0) {
                    PyMem_Free(last_token);
                    return -1;
                }
            }
        }
    }
    PyMem_Free(last_token);
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

/* Try pattern ``pattern`` at its candidate tokens ``tokens[0:count]`` (in order) and
 * store its spans into found[text][pattern], with finditer's rule. */
static int
match_pattern(const Tables *t, PyObject *texts, PyObject *found, PyObject *match,
              Py_ssize_t pattern, const Py_ssize_t *tokens, Py_ssize_t count)
{
    PyObject *key = PyLong_FromSsize_t(pattern);
    if (key == NULL) {
        return -1;
    }
    PyObject *spans = NULL; /* the list of the current text, also held by its dict */
    int64_t previous_text = -1;
    Py_ssize_t previous_end = 0;
    int status = -1;
    for (Py_ssize_t index = 0; index < count; index++) {
        Py_ssize_t token = tokens[index];
        int64_t text = t->text_of_token.items[token];
        PyObject *position = PyLong_FromLongLong(t->positions.items[token]);
        if (position == NULL) {
            goto done;
        }
        PyObject *arguments[2] = {PyTuple_GET_ITEM(texts, text), position};
        PyObject *hit = PyObject_Vectorcall(match, arguments, 2, NULL);
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
        if (text != previous_text) {
            PyObject *matches = PyTuple_GET_ITEM(found, text);
            if (!PyDict_Check(matches)) {
                PyErr_SetString(PyExc_TypeError, "found must hold dicts");
                Py_DECREF(span);
                goto done;
            }
            PyObject *fresh = PyList_New(1);
            if (fresh == NULL) {
                Py_DECREF(span);
                goto done;
            }
            PyList_SET_ITEM(fresh, 0, span); /* steals the reference */
            Py_XSETREF(spans, fresh);
            if (PyDict_SetItem(matches, key, spans) < 0) {
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
        previous_text = text;
        previous_end = end;
    }
    status = 0;
done:
    Py_XDECREF(spans);
    Py_DECREF(key);
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
    return 0;
}

PyDoc_STRVAR(match_starts_doc,
"match_starts(texts, found, matches, tokens, words, entries, active, /)\n"
"--\n\n"
"Try the patterns with start entries at their candidate tokens; fill ``found``.\n\n"
"texts: list of str; found: list of dict, one per text; matches: list, per pattern\n"
"id, its bound ``Pattern.match`` (called only for patterns with entries);\n"
"tokens: (word_of_token, text_of_token, positions), int64 arrays;\n"
"words: (condition_offsets, word_conditions, word_rows, row_width), word_rows a bool\n"
"matrix (words x row_width); entries: (starter_offsets, starters, entry_pattern,\n"
"window_offsets, window_low, window_high, window_condition), int64 arrays;\n"
"active: bool matrix (texts x patterns). found[text][pattern] gets the list of\n"
"(start, end) spans that finditer gives.");

static PyObject *
gate_match_starts(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *texts_list, *found_list, *matches_list;
    PyObject *word_of_token, *text_of_token, *positions;
    PyObject *condition_offsets, *word_conditions, *word_rows;
    Py_ssize_t row_width;
    PyObject *starter_offsets, *starters, *entry_pattern, *window_offsets;
    PyObject *window_low, *window_high, *window_condition, *active;
    if (!PyArg_ParseTuple(args, "O!O!O!(OOO)(OOOn)(OOOOOOO)O:match_starts",
                          &PyList_Type, &texts_list, &PyList_Type, &found_list,
                          &PyList_Type, &matches_list, &word_of_token, &text_of_token,
                          &positions, &condition_offsets, &word_conditions, &word_rows,
                          &row_width, &starter_offsets, &starters, &entry_pattern,
                          &window_offsets, &window_low, &window_high, &window_condition,
                          &active)) {
        return NULL;
    }
    Buffers buffers = {.held = 0};
    Candidates candidates = {NULL, NULL, 0, 0};
    Py_ssize_t *order = NULL, *group_starts = NULL;
    /* Tuples copied from the lists, so that a call of ``match`` cannot change them. */
    PyObject *texts = NULL, *found = NULL, *matches = NULL;
    PyObject *result = NULL;
    Tables t;
    Py_buffer *rows_view, *active_view;

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
        || (rows_view = take_buffer(&buffers, word_rows, 1, "word_rows")) == NULL
        || (active_view = take_buffer(&buffers, active, 1, "active")) == NULL) {
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
    t.row_width = row_width;
    t.word_rows = (const unsigned char *)rows_view->buf;
    t.active = (const unsigned char *)active_view->buf;
    if (PyTuple_GET_SIZE(found) != t.text_count) {
        PyErr_SetString(PyExc_ValueError, "found needs one dict per text");
        goto done;
    }
    if (t.word_count < 0 || t.condition_count < 0 || row_width < t.condition_count
        || rows_view->len != t.word_count * row_width) {
        PyErr_SetString(PyExc_ValueError, "word_rows must be a words x row_width matrix");
        goto done;
    }
    if (active_view->len != t.text_count * t.pattern_count) {
        PyErr_SetString(PyExc_ValueError, "active must be a texts x patterns matrix");
        goto done;
    }
    if (check_tables(&t) < 0 || collect(&t, &candidates) < 0) {
        goto done;
    }

    /* Counting sort of the candidates by pattern; each pattern keeps token order. */
    group_starts = PyMem_Calloc((size_t)t.pattern_count + 1, sizeof(Py_ssize_t));
    order = PyMem_Malloc(((size_t)candidates.length + 1) * sizeof(Py_ssize_t));
    if (group_starts == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t index = 0; index < candidates.length; index++) {
        group_starts[candidates.patterns[index] + 1]++;
    }
    for (Py_ssize_t pattern = 0; pattern < t.pattern_count; pattern++) {
        group_starts[pattern + 1] += group_starts[pattern];
    }
    for (Py_ssize_t index = 0; index < candidates.length; index++) {
        /* group_starts[p] moves up to the end of group p as its tokens are placed. */
        order[group_starts[candidates.patterns[index]]++] = candidates.tokens[index];
    }
    Py_ssize_t low = 0;
    for (Py_ssize_t pattern = 0; pattern < t.pattern_count; pattern++) {
        Py_ssize_t high = group_starts[pattern];
        if (high > low) {
            PyObject *match = PyTuple_GET_ITEM(matches, pattern);
            Py_INCREF(match);
            int status = match_pattern(&t, texts, found, match, pattern, order + low, high - low);
            Py_DECREF(match);
            if (status < 0) {
                goto done;
            }
        }
        low = high;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(candidates.patterns);
    PyMem_Free(candidates.tokens);
    PyMem_Free(order);
    PyMem_Free(group_starts);
    Py_XDECREF(texts);
    Py_XDECREF(found);
    Py_XDECREF(matches);
    buffers_release(&buffers);
    return result;
}

static PyMethodDef gate_methods[] = {
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
