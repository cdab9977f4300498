from mhtool.cli.root import main

main()
