/*
 * test_corpus_nulls.c - the bad-input corpus's NULL cases (NULL in every
 * row of one column, for every column of every table), built from the
 * same source as test_corpus.c so that ctest can run the two programs side
 * by side: each of these cases is a whole csr run.
 */
#define CORPUS_NULLS 1
#pragma GCC diagnostic ignored "-Wunused-function"   /* the other cases live in their own program */
#include "test_corpus.c"
