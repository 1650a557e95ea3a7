//go:build !race

package softmax

const raceEnabled = false
