/*
 * fault.h - injected failures for tests, in the style of SQLite's
 * sqlite3FaultSim: count the calls of one kind and make the N-th fail, so
 * that every error path is exercised on purpose, not hoped for.
 *
 * Stage: core. Inert unless the CLI configures it from the environment
 * variable TLFGEN_FAULT at start-up (tests only; see docs/reliability.md):
 *
 *   TLFGEN_FAULT=alloc:N    the N-th xmalloc/xcalloc/xrealloc fails (the
 *                           out-of-memory path of core/mem.c: message, exit 1)
 *   TLFGEN_FAULT=io:N       the N-th of tlfgen's own file writes, renames
 *                           and fsyncs fails with EIO
 *   TLFGEN_FAULT=sqlite:N   the N-th SQLite file operation (open, read,
 *                           write, truncate, sync) fails with SQLITE_IOERR
 *   TLFGEN_FAULT=sqlmem:N   the N-th SQLite memory allocation fails
 *                           (SQLITE_NOMEM)
 *   TLFGEN_FAULT=count      nothing fails; the CLI prints how many calls of
 *                           each kind the command made, on stderr at exit
 *
 * Each fault fires once (the calls after the N-th succeed again), so the
 * code's recovery and clean-up after the failure are exercised too.
 *
 * The counters are process-wide, like the signal flag: the SQLite hooks
 * (its allocator and a VFS) are process-wide by SQLite's design, and the
 * allocation wrapper has no context to carry them. They are written only
 * by one thread: while injection is on, `run` starts no worker threads
 * (tlf_fault_enabled), so the N-th call is the same call in every run.
 */
#ifndef TLFGEN_FAULT_H
#define TLFGEN_FAULT_H

#include "core/err.h"

typedef enum tlf_fault_kind {
    TLF_FAULT_ALLOC = 0,  /* tlfgen's own allocations (core/mem.c)           */
    TLF_FAULT_IO,         /* tlfgen's own file writes, renames, fsyncs       */
    TLF_FAULT_SQLITE,     /* SQLite VFS operations                           */
    TLF_FAULT_SQLMEM,     /* SQLite memory allocations                       */
    TLF_FAULT_NKINDS
} tlf_fault_kind;

/* Configure from a spec as above (NULL or "" = off). Installs the SQLite
 * allocator and VFS hooks, so it must run before any other SQLite call.
 * TLF_EUSAGE for a spec it cannot read. Call at most once. */
int tlf_fault_configure(const char *spec, tlf_err *err);

/* Count one call of kind; 1 when this call must fail (then errno is set to
 * EIO), else 0. Cheap when faults are off. */
int tlf_fault_hit(tlf_fault_kind kind);

/* 1 when a call fails here only because a fault was injected (so the test
 * can tell that the N-th call was reached). */
int tlf_fault_fired(void);

/* 1 when TLFGEN_FAULT configured any counting (count mode or a fault). */
int tlf_fault_enabled(void);

/* Whether "count" mode is on, and the calls counted so far of kind. */
int tlf_fault_counting(void);
long long tlf_fault_count(tlf_fault_kind kind);
/* The spec name of kind ("alloc", "io", "sqlite", "sqlmem"). */
const char *tlf_fault_name(tlf_fault_kind kind);

/* A call site of a file operation: `if (tlf_fault_io() || rename(a, b) != 0)`. */
#define tlf_fault_io() tlf_fault_hit(TLF_FAULT_IO)

#endif
