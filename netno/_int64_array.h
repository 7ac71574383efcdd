/* A growable array of int64 values, shared by netno's C extensions.
 *
 * Start with {NULL, 0, 0}, append with int64_array_push and free items with
 * PyMem_Free. The caller includes Python.h and stdint.h first.
 */

#ifndef NETNO_INT64_ARRAY_H
#define NETNO_INT64_ARRAY_H

typedef struct {
    int64_t *items;
    Py_ssize_t length;
    Py_ssize_t capacity;
} Int64Array;

/* Append value, doubling the capacity when the array is full. Return 0, or -1 with
 * MemoryError set. */
static int
int64_array_push(Int64Array *array, int64_t value)
{
    if (array->length == array->capacity) {
        Py_ssize_t capacity = array->capacity ? array->capacity * 2 : 256;
        int64_t *items = PyMem_Realloc(array->items, (size_t)capacity * sizeof(int64_t));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        array->items = items;
        array->capacity = capacity;
    }
    array->items[array->length++] = value;
    return 0;
}

#endif
