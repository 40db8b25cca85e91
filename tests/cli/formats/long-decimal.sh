# A decimal of 70 characters is a number.
printf 'epoch,loss\n0,0.1234567890123456789012345678901234567890123456789012345678901234567890\n1,0.05\n' |
	"$SC" --verbose - | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' -e '/^  series per/p'
