from planboard.cli import main

main()
