def pos_fields_without(model, loaded, excluded):
    """The fields the POS loads for ``model`` (``loaded``, empty meaning all of
    them), less ``excluded``: loyalty records the POS has no model for."""
    if loaded:
        return [name for name in loaded if name not in excluded]
    return [
        name
        for name, field in model._fields.items()
        if name not in excluded and model._has_field_access(field, "read")
    ]
