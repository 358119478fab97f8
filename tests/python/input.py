# The terminal is weft's prompt: a worker that asks for input fails,
# saying so, at the program's own line.
name = input("your name? ")
print("never", name)
