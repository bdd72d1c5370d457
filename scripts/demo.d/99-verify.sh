# 99-verify.sh - demo step: receipt the log book and verify the whole casebook.
say "Write a signed checkpoint of incident 1 (a receipt to keep outside the casebook)"
run checkpoint 1 -o "$DEMO/receipt.txt"
cat "$DEMO/receipt.txt"
say "A custodian (Bob) countersigns it"
IRK_KEY="$DEMO/bob.key" run checkpoint --countersign "$DEMO/receipt.txt"
say "Verify every hash, link, signature and table, and that the log book extends the receipt"
run verify --checkpoint "$DEMO/receipt.txt"
