# Types for the parts of django-axes this project uses (the package ships no annotations
# marker, so mypy would see Any, and `mypy --strict` refuses subclassing Any in core).
