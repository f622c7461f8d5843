# covers: unittest-aliases
import unittest
class T(unittest.TestCase):
    def test_a(self):
        self.assertEquals(1 + 1, 2)
        self.assertNotEquals(1, 2)
        self.failUnless(True)
        self.failIf(False)
        self.assert_(1)
        self.assertItemsEqual([1, 2], [2, 1])
        self.failUnlessRaises(ValueError, int, 'x')
        self.assertRegexpMatches('abc', 'b')
        self.assertAlmostEquals(1.0, 1.00000001)
suite = unittest.TestLoader().loadTestsFromTestCase(T)
result = unittest.TestResult()
suite.run(result)
print result.testsRun, len(result.failures), len(result.errors)
for f in result.failures + result.errors:
    print f[1].strip().splitlines()[-1]
