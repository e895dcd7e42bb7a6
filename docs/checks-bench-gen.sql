-- Benchmark database for `tlfgen check` (docs/checks.md): 100,000 subjects.
-- Needs schema.sql (the DDL of tests/support/minidb.c) in the current folder.
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;
.read schema.sql
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<100000) INSERT INTO n SELECT i FROM c;
CREATE TEMP TABLE k(j INTEGER PRIMARY KEY);
WITH RECURSIVE c(j) AS (SELECT 1 UNION ALL SELECT j+1 FROM c WHERE j<12) INSERT INTO k SELECT j FROM c;
-- day 1 spread over 2022-2023; deaths for every 20th subject
INSERT INTO DM SELECT 'TAC01', printf('TAC01-%06d',i), printf('%06d',i), printf('%02d', i%30),
  date('2022-01-01', '+'||(i%700)||' days', '-7 days'), date('2022-01-01', '+'||(i%700)||' days'),
  date('2022-01-01', '+'||(i%700 + 364)||' days'),
  CASE WHEN i%20=0 THEN date('2022-01-01', '+'||(i%700 + 200)||' days') ELSE '' END,
  CASE WHEN i%20=0 THEN 'Y' ELSE '' END, 40 + i%40, 'YEARS', CASE WHEN i%2=0 THEN 'M' ELSE 'F' END,
  'ASIAN', CASE WHEN i%5=0 THEN 'HC' ELSE 'TAC' END, 'x', CASE WHEN i%5=0 THEN 'HC' ELSE 'TAC' END, 'x', 'JPN' FROM n;
INSERT INTO SC SELECT USUBJID, 'MYOTYPE','Myositis type','DM','DM' FROM DM;
INSERT INTO SC SELECT USUBJID, 'ONSET','Onset','NEW','NEW' FROM DM;
INSERT INTO VS SELECT USUBJID, 1, 'WEIGHT', 55, 'kg', 'Y', 2, 'BASELINE', RFSTDTC FROM DM;
INSERT INTO VS SELECT USUBJID, 2, 'HEIGHT', 160, 'cm', 'Y', 2, 'BASELINE', RFSTDTC FROM DM;
INSERT INTO DS SELECT USUBJID, 1, 'DISPOSITION EVENT', 'STUDY PARTICIPATION', 'x',
  CASE WHEN DTHFL='Y' THEN 'DEATH' ELSE 'COMPLETED' END, CASE WHEN DTHFL='Y' THEN DTHDTC ELSE RFENDTC END, 'TREATMENT' FROM DM;
INSERT INTO EX SELECT USUBJID, 1, 'PREDNISOLONE', 50, 'mg', 'QD', RFSTDTC, date(RFSTDTC, '+90 days') FROM DM;
INSERT INTO EX SELECT USUBJID, 2, 'TACROLIMUS', 3, 'mg', 'QD', RFSTDTC, date(RFSTDTC, '+150 days') FROM DM WHERE ARMCD='TAC';
INSERT INTO CM SELECT USUBJID, 1, 'x', 'CYCLOPHOSPHAMIDE', 'ADDITIONAL IMMUNOSUPPRESSANT', date(RFSTDTC, '+100 days'), '' FROM DM WHERE _rowid_%10=0;
INSERT INTO AE SELECT d.USUBJID, k.j, 'x', 'Rash', 'Skin', CASE WHEN n.i%50=0 AND k.j=1 THEN '7' ELSE '2' END, 'N', 'NOT RELATED', 'DOSE NOT CHANGED',
  'RECOVERED/RESOLVED', date(d.RFSTDTC, '+'||(k.j*10)||' days'), date(d.RFSTDTC, '+'||(k.j*10+5)||' days'), 'AE'||k.j
  FROM DM d JOIN n ON n.i = d._rowid_ JOIN k ON k.j <= 3 WHERE d.ARMCD='TAC';
INSERT INTO LB SELECT d.USUBJID, k.j, 'CK', 'CK', 'CHEMISTRY', '100', 'U/L',
  CASE WHEN n.i%100=0 AND k.j=5 THEN 'abc' ELSE 100 END, 'U/L', 40, 200, 'NORMAL', CASE WHEN k.j=1 THEN 'Y' ELSE '' END, k.j, 'x',
  CASE WHEN n.i%25=0 AND k.j=3 THEN '2023-02-30' ELSE date(d.RFSTDTC, '+'||(k.j*28)||' days') END
  FROM DM d JOIN n ON n.i = d._rowid_ JOIN k;
INSERT INTO PC SELECT d.USUBJID, k.j, 'TACTROUGH', 8, 'ng/mL', k.j, 'x', date(d.RFSTDTC, '+'||(k.j*28)||' days') FROM DM d JOIN k ON k.j<=4 WHERE d.ARMCD='TAC';
INSERT INTO RE SELECT d.USUBJID, k.j, 'VCPP', 'x', 70, '%', CASE WHEN k.j=1 THEN 'Y' ELSE '' END, k.j, 'x', date(d.RFSTDTC, '+'||(k.j*60)||' days') FROM DM d JOIN k ON k.j<=4;
INSERT INTO FT SELECT d.USUBJID, k.j, 'MMT8', 70, CASE WHEN k.j=1 THEN 'Y' ELSE '' END, k.j, 'x', date(d.RFSTDTC, '+'||(k.j*60)||' days') FROM DM d JOIN k ON k.j<=4;
INSERT INTO RS SELECT d.USUBJID, k.j, 'IPRESP', 'STABLE', date(d.RFSTDTC, '+'||(k.j*60)||' days'), k.j, 'x' FROM DM d JOIN k ON k.j<=4;
INSERT INTO DV SELECT USUBJID, 1, 'x', 'x', 'MINOR', date(RFSTDTC, '+30 days') FROM DM WHERE _rowid_%3=0;
-- orphans
INSERT INTO VS SELECT printf('TAC01-X%06d', i), 3, 'WEIGHT', 55, 'kg', '', 3, 'x', '2022-06-01' FROM n WHERE i%10=0;
INSERT INTO DBSTATUS VALUES ('TAC01','SOFT LOCK','2024-01-15','2023-12-31','DM');
