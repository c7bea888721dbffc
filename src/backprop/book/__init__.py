"""The book's tools: figures, widgets and chapter helpers (floor 4).

Needs the ``book`` extra (``pip install backprop[book]``: matplotlib,
ipywidgets, pillow, IPython); :mod:`backprop.book.digits` also needs the
``digits`` extra (scikit-learn) for its data and comparison model. Nothing in
the core package (``backprop`` itself) imports from here.

* :mod:`~backprop.book.style`: colours, new axes, number formatting, message boxes;
* :mod:`~backprop.book.figure1`: Figure 1 from a live network, and the steps of backprop;
* :mod:`~backprop.book.plots`: activation curves, loss curves, decision boundaries,
  gradient sizes;
* :mod:`~backprop.book.widgets`: widgets that keep working in the static HTML book;
* :mod:`~backprop.book.exercises`: the checks of the chapters' exercises;
* :mod:`~backprop.book.output_layer`: chapters 2-3, gradient descent on the output layer;
* :mod:`~backprop.book.hidden_layer`: chapters 4-5, error-signal sizes during training;
* :mod:`~backprop.book.playground`: chapter 7, the playground;
* :mod:`~backprop.book.digits`: chapter 8, handwritten digits end to end.
"""
