"""Pure domain logic: no Flask, no I/O."""
