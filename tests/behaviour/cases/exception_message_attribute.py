# covers: exception-message-attribute
try:
    raise ValueError('boom')
except ValueError as e:
    print e.message
