"""Built-in rules: one module per rule, each with RULE metadata, check(doc, ctx), and its docs."""
