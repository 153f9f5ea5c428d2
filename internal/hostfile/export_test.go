package hostfile

// MaxKeyDepth is maxKeyDepth for the tests of package hostfile_test.
const MaxKeyDepth = maxKeyDepth
