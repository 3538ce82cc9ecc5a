"""Genera los archivos de datos de docs/preparar-datos.md cuyos bytes importan.

- excel-castellano.csv: como lo guarda Excel en castellano con «CSV
  (delimitado por comas)»: Windows-1252, `;`, saltos de línea CRLF, dos filas
  de título arriba del encabezado, coma decimal y separador de miles;
- excel-utf8.csv: como lo guarda Excel con «CSV UTF-8»: UTF-8 con BOM, `;`;
- sep.csv: con la línea `sep=;` al comienzo;
- planilla-con-titulo.xlsx: un libro con dos hojas («Instrucciones» y
  «Datos 2024»); la de datos tiene filas de título arriba del encabezado y una
  celda con formato de porcentaje.

No necesita bibliotecas externas. Uso, desde esta carpeta:  python3 generar-datos.py
"""
import zipfile
from xml.sax.saxutils import escape


def escribir(nombre, texto, codificacion="utf-8", fin="\n", bom=b""):
    with open(nombre, "wb") as f:
        f.write(bom + texto.replace("\n", fin).encode(codificacion))


escribir("excel-castellano.csv", """Caracterización de OECAs — ejemplo;;;;;;;;
Exportado de la planilla «Fichas 2024»;;;;;;;;
Código;Nombre;Forma jurídica;Registro cooperativas;Socios total;Socias;Asistencia asambleas;Excedentes;Punto equilibrio social
XLS-001;Asociación de Apicultores de Ejemplo;Asociación;No;40;18;72,5%;Estables;Sí
XLS-002;Cooperativa Cafetalera de Ejemplo;Cooperativa;Sí;1.250;610;61,5;estables;SI
XLS-003;Grupo de Artesanas de Ejemplo;Otra;no;12;12;;Ninguno;No
""", codificacion="cp1252", fin="\r\n")

escribir("excel-utf8.csv", """codigo;nombre;forma_juridica;registro_cooperativas;socios_total;socias;asistencia_asambleas;excedentes;punto_equilibrio_social
UTF-001;Asociación de Apicultores de Ejemplo;asociacion;no;40;18;72,5;estables;sí
UTF-002;Cooperativa Cafetalera de Ejemplo;cooperativa;sí;60;30;61,5 %;estables;sí
""", fin="\r\n", bom=b"\xef\xbb\xbf")

escribir("sep.csv", """sep=;
codigo;nombre;forma_juridica;registro_cooperativas;socios_total;socias;asistencia_asambleas;excedentes;punto_equilibrio_social
SEP-001;Asociación de Apicultores de Ejemplo;asociacion;no;40;18;72,5;estables;sí
""", fin="\r\n")


# ---------------------------------------------------------------- XLSX

def columna(i):
    letras = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letras = chr(65 + r) + letras
    return letras


def celda(ref, valor):
    """`valor`: None (vacía), un número, un texto o ("%", número) para una
    celda con formato de porcentaje (Excel guarda 72,5 % como 0.725)."""
    if valor is None:
        return ""
    if isinstance(valor, tuple):
        return f'<c r="{ref}" s="1"><v>{valor[1]}</v></c>'
    if isinstance(valor, (int, float)):
        return f'<c r="{ref}"><v>{valor}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(valor)}</t></is></c>'


def hoja(filas):
    xml = []
    for n, fila in enumerate(filas, start=1):
        celdas = "".join(celda(f"{columna(i)}{n}", v) for i, v in enumerate(fila))
        xml.append(f'<row r="{n}">{celdas}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(xml)}</sheetData></worksheet>'
    )


instrucciones = [
    ["Ficha de caracterización de OECAs — instrucciones"],
    ["Llene una fila por organización en la hoja «Datos 2024». Deje vacía la celda si no tiene el dato."],
]
datos = [
    ["Caracterización de OECAs 2024 — CEPAC"],
    ["Región Amboró; levantamiento de marzo"],
    [],
    ["codigo", "nombre", "forma_juridica", "registro_cooperativas", "socios_total", "socias",
     "asistencia_asambleas", "excedentes", "punto_equilibrio_social"],
    ["HOJA-001", "Asociación de Apicultores de Ejemplo", "asociacion", "no", 40, 18, ("%", 0.725), "estables", "sí"],
    ["HOJA-002", "Cooperativa Cafetalera de Ejemplo", "cooperativa", "sí", 60, 30, 61.5, "estables", "sí"],
    ["HOJA-003", "Grupo de Artesanas de Ejemplo", "otra", "no", 12, 12, None, "ninguno", "no"],
]

NOMBRES = ["Instrucciones", "Datos 2024"]
tipos = "".join(
    f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    for i in (1, 2)
)
partes = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{tipos}</Types>"
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
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(NOMBRES, start=1))
        + "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Estilo 1: formato de número «0.0%».
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ),
    "xl/worksheets/sheet1.xml": hoja(instrucciones),
    "xl/worksheets/sheet2.xml": hoja(datos),
}

with zipfile.ZipFile("planilla-con-titulo.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for nombre, contenido in partes.items():
        info = zipfile.ZipInfo(nombre, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, contenido)
