"""Annual joint plans (部门联合双随机抽查工作计划): import as published, store, export back."""
