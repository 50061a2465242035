"""The official-document renderer: one layout of Nghị định 30/2020 (Phụ lục I) for every printed document.

A document is first described as an `OfficialDocument` (document.py), built by the app that owns it
(the plan in plans/, the periodic report beside it); the renderers turn that one description into PDF
(WeasyPrint) and DOCX (python-docx), so both files always carry the same text.
"""
