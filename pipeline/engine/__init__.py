"""Turn laid-out HTML into PDF with WeasyPrint: fonts, the CJK justification patch, rendering."""
