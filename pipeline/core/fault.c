/*
 * fault.c - injected failures (see fault.h): per-kind call counters, a
 * wrapper around SQLite's allocator and a VFS shim over the default VFS
 * that fail the chosen call.
 */
#include "core/fault.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Process-wide test state (see fault.h for why it is not in a context). */
static int fault_on;                       /* any counting at all          */
static int fault_count_only;               /* "count": never fail          */
static tlf_fault_kind fault_kind;          /* the kind that fails          */
static long long fault_at;                 /* its call number that fails   */
static int fault_has_fired;
static long long fault_calls[TLF_FAULT_NKINDS];

static const char *const KIND_NAMES[TLF_FAULT_NKINDS] = {"alloc", "io", "sqlite", "sqlmem"};

const char *tlf_fault_name(tlf_fault_kind kind)
{
    return kind < TLF_FAULT_NKINDS ? KIND_NAMES[kind] : "?";
}

int tlf_fault_hit(tlf_fault_kind kind)
{
    if (!fault_on)
        return 0;
    long long n = ++fault_calls[kind];
    if (fault_count_only || kind != fault_kind || n != fault_at)
        return 0;
    fault_has_fired = 1;
    errno = EIO;
    return 1;
}

int tlf_fault_fired(void)
{
    return fault_has_fired;
}

int tlf_fault_enabled(void)
{
    return fault_on;
}

int tlf_fault_counting(void)
{
    return fault_on && fault_count_only;
}

long long tlf_fault_count(tlf_fault_kind kind)
{
    return kind < TLF_FAULT_NKINDS ? fault_calls[kind] : 0;
}

/* --- SQLite's allocator: the default one, failing the chosen call --- */

static sqlite3_mem_methods real_mem;

static void *mem_malloc(int n)
{
    return tlf_fault_hit(TLF_FAULT_SQLMEM) ? NULL : real_mem.xMalloc(n);
}

static void *mem_realloc(void *p, int n)
{
    return tlf_fault_hit(TLF_FAULT_SQLMEM) ? NULL : real_mem.xRealloc(p, n);
}

static void mem_free(void *p)
{
    real_mem.xFree(p);
}

static int mem_size(void *p)
{
    return real_mem.xSize(p);
}

static int mem_roundup(int n)
{
    return real_mem.xRoundup(n);
}

static int mem_init(void *app)
{
    return real_mem.xInit(app);
}

static void mem_shutdown(void *app)
{
    real_mem.xShutdown(app);
}

/* --- a VFS shim: every file of the default VFS, with faults on the calls
 * that touch the disk. The real file lives right after the shim's. --- */

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real;
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static sqlite3_io_methods shim_io;

#define REAL(f) (((shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int shim_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    if (tlf_fault_hit(TLF_FAULT_SQLITE))
        return SQLITE_IOERR_READ;
    return REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    if (tlf_fault_hit(TLF_FAULT_SQLITE))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (tlf_fault_hit(TLF_FAULT_SQLITE))
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
    if (tlf_fault_hit(TLF_FAULT_SQLITE))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_device_chars(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, amt, pp);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    shim_file *sf = (shim_file *)f;
    sf->real = (sqlite3_file *)&sf[1];
    sf->base.pMethods = NULL;        /* SQLite does not close a file whose open failed */
    if (tlf_fault_hit(TLF_FAULT_SQLITE))
        return SQLITE_CANTOPEN;
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out_flags);
    if (sf->real->pMethods) {
        /* the shim offers what the real file offers, no more */
        shim_io.iVersion = sf->real->pMethods->iVersion < 3 ? sf->real->pMethods->iVersion : 3;
        sf->base.pMethods = &shim_io;
    }
    return rc;
}

static void shim_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    shim_vfs = *real_vfs;
    shim_vfs.zName = "tlfgen-fault";
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_vfs.pAppData = NULL;
    shim_io = (sqlite3_io_methods){
        3,
        shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size,
        shim_lock, shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size,
        shim_device_chars, shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap,
        shim_fetch, shim_unfetch};
    sqlite3_vfs_register(&shim_vfs, 1);
}

int tlf_fault_configure(const char *spec, tlf_err *err)
{
    if (!spec || !*spec)
        return TLF_OK;
    if (strcmp(spec, "count") == 0) {
        fault_count_only = 1;
    } else {
        const char *colon = strchr(spec, ':');
        int kind = -1;
        for (int k = 0; colon && k < TLF_FAULT_NKINDS; k++)
            if (strlen(KIND_NAMES[k]) == (size_t)(colon - spec) &&
                strncmp(spec, KIND_NAMES[k], (size_t)(colon - spec)) == 0)
                kind = k;
        char *end = NULL;
        long long n = colon ? strtoll(colon + 1, &end, 10) : 0;
        if (kind < 0 || !end || end == colon + 1 || *end || n < 1)
            return tlf_err_set(err, TLF_EUSAGE,
                               "TLFGEN_FAULT: '%s' is not KIND:N (alloc, io, sqlite, sqlmem; N >= 1) "
                               "or 'count'", spec);
        fault_kind = (tlf_fault_kind)kind;
        fault_at = n;
    }
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
        return tlf_err_set(err, TLF_EINTERNAL, "TLFGEN_FAULT: SQLite was initialised already");
    sqlite3_mem_methods m = {mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup,
                             mem_init, mem_shutdown, NULL};
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
        return tlf_err_set(err, TLF_EINTERNAL, "TLFGEN_FAULT: SQLite was initialised already");
    shim_install();
    fault_on = 1;
    return TLF_OK;
}
