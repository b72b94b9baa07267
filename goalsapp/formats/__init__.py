"""The file formats a sheet comes in and goes out as: Word's plain text, Word (.docx) and
Excel (.xlsx). Each format's reader turns its file into rows of cells; reader.py reads
those rows as forms, whatever the format and whatever the form."""
