"""Excel templates (cell placeholders, one repeat row), package data: rebuilt by tools/build_xlsx_templates.py."""
