# covers: removed-module-import
import md5
print md5.new('abc').hexdigest()
