import Queue

def run():
    return Queue.Queue().get()
