# pdftotext output (pages end with a form feed) → CSV rows `doc,page,text` for sqlite3's .import.
# Usage: pdftotext FILE - | awk -v doc=FILE -f pages-csv.awk
BEGIN { RS = "\f"; gsub(/"/, "\"\"", doc) }
{ gsub(/"/, "\"\""); printf "\"%s\",%d,\"%s\"\n", doc, NR, $0 }
