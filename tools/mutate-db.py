#!/usr/bin/env python3
"""mutate-db.py - a copy of a study database with random cell edits, for
tools/checks-diff.sh (by hand, never by tests).

Usage: tools/mutate-db.py SRC DST SEED EDITS

Each edit picks a table (not DBSTATUS), a column and a row at random and
sets the cell to one of the values the data checks treat specially:
dates complete, partial, with times, impossible or badly formatted
(padded, unpadded, full-width digits) around the demo's cut-off; USUBJID
NULL, empty, padded, lower-case, unknown, a number or a BLOB; and NULL,
'', a space, numbers (0, -1, 2.5, infinity), short and non-ASCII texts,
invalid UTF-8 as a BLOB. One edit in eight deletes a row, one in sixteen
duplicates one; half the databases also get three DM death dates from
the date pool. The same SEED gives the same database.
"""
import random
import shutil
import sqlite3
import sys

DATES = ['2015-06-30', '2015-07-01', '2015-06-30T23:59', '2015-07-01T00:00', '2015',
         '2016', '2015-06', '2015-07', '2014-12-31', ' 2016-01-01', '2016-01-01 ',
         '2016-1-1', '2015-06-31', '2015-02-29', '2016-02-29', '2015-13-01',
         '2015-06-30T24:00', '2015-07-01T', '2015-07-01T1', 'T10:00', '2015--01',
         '2015-06-30T12:00:00', '', '9999-12-31', '0000-01-01', '2015-07-01Z',
         '\uff12\uff10\uff11\uff16-01-01', '2013-01-01', '2013-02', '2012']


def main():
    src, dst, seed, edits = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    shutil.copy(src, dst)
    r = random.Random(seed)
    db = sqlite3.connect(dst)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if t != 'DBSTATUS']
    cols = {t: [c[1] for c in db.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    ids = [u for (u,) in db.execute('SELECT USUBJID FROM DM')] or ['X']

    def value(col):
        k = r.random()
        if col.endswith('DTC') and k < 0.7:
            return r.choice(DATES)
        if col == 'USUBJID' and k < 0.7:
            u = r.choice(ids)
            return r.choice([None, '', ' ', u + ' ', u.lower(), 'NOPE-1', 0, b'\x00ab', u.encode()])
        return r.choice([None, '', ' ', 0, 1, -1, 2.5, float('inf'), 'x', 'Y', 'N', '\u00e9' * 3,
                         b'\xff\xfe', 'NaN', '1e400', r.choice(DATES), r.choice(ids)])

    for _ in range(edits):
        t = r.choice(tables)
        n = db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        if n == 0:
            continue
        at = r.randrange(n)
        k = r.random()
        if k < 0.125:
            db.execute(f'DELETE FROM "{t}" WHERE rowid = (SELECT rowid FROM "{t}" LIMIT 1 OFFSET ?)', (at,))
        elif k < 0.1875:
            db.execute(f'INSERT INTO "{t}" SELECT * FROM "{t}" LIMIT 1 OFFSET ?', (at,))
        else:
            c = r.choice(cols[t])
            db.execute(f'UPDATE "{t}" SET "{c}" = ? WHERE rowid = (SELECT rowid FROM "{t}" LIMIT 1 OFFSET ?)',
                       (value(c), at))
    if r.random() < 0.5 and 'DTHDTC' in cols.get('DM', []):
        for _ in range(3):
            db.execute('UPDATE DM SET DTHDTC = ? WHERE USUBJID = ?', (r.choice(DATES), r.choice(ids)))
    db.commit()


if __name__ == '__main__':
    main()
