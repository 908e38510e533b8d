"""Word templates (docxtpl), package data: editable in Word/WPS/LibreOffice, rebuilt by tools/build_docx_templates.py."""
