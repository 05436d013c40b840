#!/usr/bin/env python3
"""Indexes passages with SQLite FTS5 and answers questions from them, for
comparing attache's index with a well-known engine on the same sentences.

usage: fts5.py DB PASSAGES [QUESTIONS]

PASSAGES holds one passage a line: its ID, a tab, its text. QUESTIONS holds
one question a line; each is asked as the OR of its words, ranked by bm25,
top 3. Prints one JSON object: passages, build_s (insert and commit, on
disk, with the porter stemmer) and, with QUESTIONS, questions and
per_question_ms (the mean).

Embedded in corpustest (corpustest.FTS5), which index's BenchmarkBuild and
the side-by-side test in the project root run only when ATTACHE_FTS5_BENCH=1:
CI never runs it.
"""
import json, os, re, sqlite3, sys, time


def main():
    db, passages = sys.argv[1], sys.argv[2]
    questions = sys.argv[3] if len(sys.argv) > 3 else None
    rows = []
    with open(passages, encoding="utf-8") as f:
        for line in f:
            pid, _, text = line.rstrip("\n").partition("\t")
            rows.append((pid, text))
    if os.path.exists(db):
        os.remove(db)
    out = {"passages": len(rows)}

    start = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("create virtual table p using fts5(text, id unindexed, tokenize='porter unicode61 remove_diacritics 2')")
    with con:
        con.executemany("insert into p(text, id) values (?, ?)", ((t, i) for i, t in rows))
    out["build_s"] = time.perf_counter() - start

    if questions:
        with open(questions, encoding="utf-8") as f:
            qs = [q.strip() for q in f if q.strip()]
        start = time.perf_counter()
        for q in qs:
            words = re.findall(r"\w+", q)
            if not words:
                continue
            match = " OR ".join('"%s"' % w for w in words)
            con.execute("select id, text from p where p match ? order by bm25(p) limit 3", (match,)).fetchall()
        out["questions"] = len(qs)
        out["per_question_ms"] = (time.perf_counter() - start) * 1000 / max(len(qs), 1)
    con.close()
    print(json.dumps(out))


main()
