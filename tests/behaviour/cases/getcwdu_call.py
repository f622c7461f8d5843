# covers: getcwdu
import os
here = os.getcwdu()
print here == os.getcwd(), len(here) > 0
print os.path.basename(here) == os.path.basename(os.getcwd())
