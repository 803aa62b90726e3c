// Each test loads the machine on purpose (an app process under load); two at once would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
