# OKPay Wallet. `make run`: the app against a local staging server. `make test`: every check.
.PHONY: run test
run:
	scripts/run.sh
test:
	scripts/test.sh
