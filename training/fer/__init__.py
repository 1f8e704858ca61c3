"""Training, evaluation and export of Shelf Sentiment's own FER-2013 expression model."""
