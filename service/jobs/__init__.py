"""Batch regeneration: many branches' documents made again on a job queue, progress kept in the database.

Modules: plan (which package in which format a batch makes), leases (an item's claim, renewal,
final write and the reaper), tasks (the job: one branch of one batch), queue (RQ when REDIS_URL
is set, else a thread pool in this process), batches (start a batch), progress (follow it),
archive (the district's zip), worker (`paicha worker`). Jobs carry ids only; state lives in the
store's batches and batch_items tables.
"""
