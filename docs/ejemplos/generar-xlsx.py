"""Genera mini.xlsx (hoja «Organizaciones») a partir de mini.csv.

Se usa en los ejemplos de docs/errores.md y docs/guia-analistas.md. No
necesita bibliotecas externas: escribe el XML mínimo de un libro de Excel.
Uso, desde esta carpeta:  python3 generar-xlsx.py
"""
import csv
import zipfile
from xml.sax.saxutils import escape

HOJA = "Organizaciones"


def columna(i):
    letras = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letras = chr(65 + r) + letras
    return letras


def celda(ref, texto):
    if texto == "":
        return ""
    try:
        float(texto)
        return f'<c r="{ref}"><v>{texto}</v></c>'
    except ValueError:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(texto)}</t></is></c>'


with open("mini.csv", encoding="utf-8", newline="") as f:
    filas = list(csv.reader(f))

xml_filas = []
for n, fila in enumerate(filas, start=1):
    celdas = "".join(celda(f"{columna(i)}{n}", v) for i, v in enumerate(fila))
    xml_filas.append(f'<row r="{n}">{celdas}</row>')

partes = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{HOJA}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(xml_filas)}</sheetData></worksheet>'
    ),
}

with zipfile.ZipFile("mini.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for nombre, contenido in partes.items():
        info = zipfile.ZipInfo(nombre, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, contenido)
