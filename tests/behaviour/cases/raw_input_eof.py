# covers: raw-input
def ask(prompt):
    try:
        return raw_input(prompt)
    except EOFError:
        return 'EOF'
print ask('')
