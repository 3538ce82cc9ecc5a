#!/bin/sh
# Evalúa las organizaciones de ejemplo con las reglas del CEPAC, muestra el
# resultado y lo guarda en resultados-ejemplo.xlsx.
cd "$(dirname "$0")" || exit 1
echo "Evaluando las organizaciones de ejemplo: rules/ejemplos/organizaciones.csv"
echo
./reglas evaluar rules/cepac.reglas rules/ejemplos/organizaciones.csv --formato tabla
echo
./reglas evaluar rules/cepac.reglas rules/ejemplos/organizaciones.csv --salida resultados-ejemplo.xlsx
echo
echo "Para evaluar sus datos, vea LEEME.txt."
