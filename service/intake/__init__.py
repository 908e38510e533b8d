"""The clerk workbook: generate the blank template, fill it from a dataset, read a filled one back."""
