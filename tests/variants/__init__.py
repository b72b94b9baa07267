"""Test fixtures: the 项目支出绩效目标表 in the template variants units are handed.

`catalog.VARIANTS` holds each variant as data with the values a correct reader must return;
`writers` turns one into the files a unit would upload (.txt, .docx, .xlsx).
"""
