"""Faults, each caused for real and each a test (issue #10 part 6); docs/operations.md 「Faults」 says what users see.

- Redis down: test_redis_down.py (a throw-away redis-server, killed).
- Database unavailable: test_database_down.py (PostgreSQL unreachable and locked mid-write, SQLite
  locked); the 503 on every path, readiness and `paicha db` are in tests/store/test_unavailable.py.
- LibreOffice pool dead: test_pdf_pool_dead.py (soffice killed and unable to start again). A pool
  that recovers is tested where the pool is: tests/pdf/test_conversion.py
  (test_soffice_killed_mid_conversion_is_retried_and_replaced) and tests/pdf/test_server.py
  (test_gunicorn_workers_share_one_pool_that_the_master_keeps_alive: the pool server SIGKILLed).
- Disk full while writing an artifact: test_disk_full.py (ARTIFACT_DIR on a 256 KiB tmpfs).
- A worker killed mid-job: tests/jobs/test_queue.py
  (test_thirty_branches_two_workers_one_killed_every_branch_exactly_once: two `paicha worker`
  processes on the real Redis, one SIGKILLed while it holds a branch, a replacement started; every
  branch done exactly once, the batch's items and zip checked).
"""
