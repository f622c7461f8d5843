# covers: unittest-aliases
# Python 2.7's names whose Python 3 spelling 2.7 lacks: as a context manager, as a call, and
# across lines.
import unittest
class T(unittest.TestCase):
    def test_context(self):
        with self.assertRaisesRegexp(ValueError, 'invalid literal'):
            int('x')
    def test_call(self):
        self.assertRaisesRegexp(ValueError, 'invalid', int, 'y')
    def test_items(self):
        self.assertItemsEqual(
            [3, 1, 2],
            [1, 2, 3],
        )
    def test_failure(self):
        self.assertItemsEqual([1, 1], [1])
suite = unittest.TestLoader().loadTestsFromTestCase(T)
result = unittest.TestResult()
suite.run(result)
print result.testsRun, len(result.failures), len(result.errors)
