// Every test starts a real server; one at a time keeps them within a 2-core CI machine's means.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
