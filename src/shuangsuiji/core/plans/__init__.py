"""Reading annual joint plans (部门联合双随机抽查工作计划) as published: text, docx, xlsx, csv, html."""
