"""The documents: id → template, context, name; and rendering by id (STUB: the lead implements).

Interface used by the API, the CLI, the web pages and batch:
    render_document(ds, doc_id, fmt=None, converter=None) -> Output
    render_package(ds, package_id, fmt=None, converter=None) -> Output
    DOCUMENT_IDS, PACKAGE_IDS
"""
