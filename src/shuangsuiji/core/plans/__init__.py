"""Reading joint plans (联合抽查工作计划) as published: txt, docx, xlsx, csv and html."""
