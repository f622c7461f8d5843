# py2to3-args: --extend-select input --unsafe-fixes
# covers: input
def ask():
    try:
        return input()
    except EOFError:
        return 'EOF'
print ask()
