print("kgate-bench")
