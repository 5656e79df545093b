console.log('webview')
