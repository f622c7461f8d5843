# covers: removed-module-import
# expect-report: PY814
import md5
print md5.new('abc').hexdigest()
