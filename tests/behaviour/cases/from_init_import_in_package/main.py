# covers: relative-import, from-init-import-trap
from shapes import area
print area.square(3)
print area.unit_name()
