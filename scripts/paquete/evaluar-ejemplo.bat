@echo off
rem Evalua las organizaciones de ejemplo con las reglas del CEPAC, muestra el
rem resultado y lo guarda en resultados-ejemplo.xlsx. Doble clic para usarlo.
chcp 65001 > nul
cd /d "%~dp0"
echo Evaluando las organizaciones de ejemplo: rules\ejemplos\organizaciones.csv
echo.
reglas.exe evaluar rules\cepac.reglas rules\ejemplos\organizaciones.csv --formato tabla
echo.
reglas.exe evaluar rules\cepac.reglas rules\ejemplos\organizaciones.csv --salida resultados-ejemplo.xlsx
echo.
echo Para evaluar sus datos, abra una terminal en esta carpeta y vea LEEME.txt.
echo.
pause
