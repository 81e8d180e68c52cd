"""The signed-in home page: what each role needs to see first."""
